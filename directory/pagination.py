"""Pagination that stops counting at a few hundred.

A parent looking at "More than 500 groups" needs to narrow her search, not the exact number;
and counting every match on every request would make a large directory's list, search and
"what's on" slower than a small one's, the count growing with the directory while the page
shown stays 20 or 50 items long. Moray's own directory never reaches the cap.
"""

from functools import cached_property

from django.core.paginator import Paginator


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
