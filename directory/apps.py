from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self):
        from directory import facets, page_cache, search, timetable
        from moray_peer import text

        facets.connect_signals()
        page_cache.connect_signals()
        search.connect_signals()
        timetable.connect_signals()
        text.guard_text_fields()
