"""Pagination that stops counting at a few hundred, and the list's order a page at a time.

A parent looking at "More than 500 groups" needs to narrow her search, not the exact number;
and counting every match on every request would make a large directory's list, search and
"what's on" slower than a small one's, the count growing with the directory while the page
shown stays 20 or 50 items long. Moray's own directory never reaches the cap.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.utils import timezone


class CappedPaginator(Paginator):
    cap = 500

    @cached_property
    def count(self):
        """The number of items, or cap + 1 when there are more than `cap`."""
        count_up_to = getattr(self.object_list, "count_up_to", None)
        if count_up_to is not None:
            return count_up_to(self.cap + 1)
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


class SoonestFirst:
    """Groups in the list's usual order (GroupQuerySet.by_next_session: soonest first by the
    real next session at this moment), a page at a time, for a CappedPaginator; a search's
    groups named for what she typed first (GroupQuerySet.search).

    Sorting every matching group to show 20 made the list slower as the directory grew. On
    PostgreSQL a page is found among three small sets, sorted together: the groups whose
    stored next session has not started, read in the order of an index on it, only as many
    as the page needs (when there are more than a few hundred of them); the groups whose
    stored next session has started, whose real one is looked up (few: the nightly refresh
    moves them on); and the groups named for a search, found through an index of their
    names. SQLite sorts them all."""

    ordered = True  # for the paginator: the order is the point

    def __init__(self, groups):
        self.groups = groups
        self._few = None

    def count_up_to(self, most):
        ids = list(self.groups.order_by().values_list("pk", flat=True)[:most])
        # Fewer than `most` (a search for a rare word, a narrow filter): a walk in the
        # index's order could read most of the directory to find a page of them, so they
        # are all sorted instead, found again by their ids.
        self._few = ids if len(ids) < most else None
        return len(ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if not connection.features.supports_slicing_ordering_in_compound:
            return list(self.groups.for_cards()[start:stop])
        ids = self._ids(start, stop)
        by_id = self.groups.filter(pk__in=ids).for_cards().in_bulk()
        return [by_id[pk] for pk in ids]

    def _ids(self, start, stop):
        now = timezone.now()
        groups = self.groups if self._few is None else self.groups.filter(pk__in=self._few)
        named = Q(search_named=True) if "search_named" in groups.query.annotations else None
        rest = groups if named is None else groups.filter(~named)
        unranked = {"lead": Value(0.0, output_field=FloatField())}
        not_started = rest.exclude(next_session_at__lt=now).annotate(**unranked).order_by()
        if self._few is None:
            not_started = not_started.order_by(
                "booked_service", F("next_session_at").asc(nulls_last=True), "name", "pk"
            )[:stop]
        parts = [
            not_started,
            rest.filter(next_session_at__lt=now).annotate(**unranked).order_by(),
        ]
        if named is not None:
            parts.append(groups.filter(named).annotate(lead=F("search_rank")).order_by())
        columns = ("pk", "lead", "booked_service", "next_at", "name")
        rows = (
            parts[0]
            .values_list(*columns)
            .union(*(part.values_list(*columns) for part in parts[1:]), all=True)
        )
        rows = rows.order_by(
            "-lead", "booked_service", F("next_at").asc(nulls_last=True), "name", "pk"
        )
        return [pk for pk, *_order in rows[start:stop]]
