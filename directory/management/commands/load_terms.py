"""`manage.py load_terms` adds the directory's vocabulary (areas, topics, audiences) and the
Moray towns a parent can say she is near (directory.places) where they are missing; safe to
run on every release."""

from django.core.management.base import BaseCommand

from directory.places import load_places
from directory.terms import load_terms


class Command(BaseCommand):
    help = "Add the real areas, topics and audiences a database lacks; never changes existing ones."

    def handle(self, *args, **options):
        added = load_terms()
        self.stdout.write(self.style.SUCCESS(f"Vocabulary ready: {added} terms added."))
        places = load_places()
        self.stdout.write(self.style.SUCCESS(f"Places ready: {places} places added."))
