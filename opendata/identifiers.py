"""Stable identifiers for records the feed publishes but the database does not store.

Groups, organisations, venues and schedules carry their own UUIDs. Everything else the standard
wants an id for (a group's contact, an address, a taxonomy term...) gets a name-based UUID
(RFC 4122 version 5) from this fixed namespace and the stable key of its source record, so the
same record keeps the same id on every request and after every deploy.
"""

import uuid

# Fixed for ever: changing it would give every derived record a new id in every consumer.
NAMESPACE = uuid.UUID("f9742bb0-7782-464d-80e4-9be24ab6a25f")


def derived_id(kind, *keys):
    """The UUID of a derived record, e.g. derived_id("contact", group.uuid)."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(key) for key in keys)])))


def service_at_location_id(group_uuid, venue_uuid=None):
    """A group at one venue, or (venue_uuid None) the group's online and phone meetings."""
    if venue_uuid is None:
        return derived_id("service_at_location", group_uuid, "virtual")
    return derived_id("service_at_location", group_uuid, venue_uuid)


def virtual_location_id(group_uuid):
    return derived_id("location", group_uuid, "virtual")
