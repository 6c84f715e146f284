from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directory import models, timetable


@admin.register(models.Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "is_online"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["nearby"]


@admin.register(models.Topic, models.Audience)
class FacetAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.SearchWord)
class SearchWordAdmin(admin.ModelAdmin):
    """Everyday words parents search with ("worried", "Lossie", "PND"), and what each means."""

    list_display = ["words", "topic", "audience", "area", "crisis"]
    list_filter = ["crisis", "topic", "audience", "area"]
    search_fields = ["words"]


@admin.register(models.SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    """Moray's school holidays, one set per school year: every regular time marked "not in the
    school holidays" follows them, and a change here moves those groups' sessions at once."""

    list_display = ["name", "school_year", "starts_on", "ends_on"]
    list_filter = ["school_year"]
    ordering = ["starts_on"]


@admin.register(models.Venue)
class VenueAdmin(SimpleHistoryAdmin):
    list_display = ["name", "town", "postcode", "area", "organisation"]
    list_filter = ["area"]
    search_fields = ["name", "town", "postcode"]


class ScheduleInline(admin.TabularInline):
    model = models.Schedule
    extra = 0


class PauseInline(admin.TabularInline):
    model = models.Pause
    extra = 0


class CancellationInline(admin.TabularInline):
    model = models.Cancellation
    extra = 0


class ExtraSessionInline(admin.TabularInline):
    model = models.ExtraSession
    extra = 0


@admin.register(models.Group)
class GroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "status", "last_confirmed", "next_session_at"]
    list_filter = ["status", "organisation"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["topics", "audiences"]
    inlines = [ScheduleInline, PauseInline, CancellationInline, ExtraSessionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        timetable.rebuild_sessions(form.instance)


class PlaceAliasInline(admin.TabularInline):
    model = models.PlaceAlias
    extra = 1


@admin.register(models.Place)
class PlaceAdmin(admin.ModelAdmin):
    """The towns, villages and postcodes a parent can say she is near, each with the open
    dataset its coordinates come from."""

    list_display = ["name", "kind", "latitude", "longitude", "area", "source"]
    list_filter = ["kind", "area"]
    search_fields = ["name", "aliases__name"]
    inlines = [PlaceAliasInline]


@admin.register(models.PlaceAlias)
class PlaceAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "place"]
    search_fields = ["name", "place__name"]
    autocomplete_fields = ["place"]
