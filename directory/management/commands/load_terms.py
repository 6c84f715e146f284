"""`manage.py load_terms` adds the directory's vocabulary (areas, topics, audiences) where it
is missing; safe to run on every release."""

from django.core.management.base import BaseCommand

from directory.terms import load_terms


class Command(BaseCommand):
    help = "Add the real areas, topics and audiences a database lacks; never changes existing ones."

    def handle(self, *args, **options):
        added = load_terms()
        self.stdout.write(self.style.SUCCESS(f"Vocabulary ready: {added} terms added."))
