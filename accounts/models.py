import datetime
import secrets
import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

INVITATION_LIFETIME = datetime.timedelta(days=7)


def new_token():
    return secrets.token_urlsafe(32)


def invitation_expiry():
    return timezone.now() + INVITATION_LIFETIME


class UserManager(BaseUserManager):
    use_in_migrations = True

    def moderators(self):
        return self.filter(is_staff=True)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An organiser or moderator. Parents never have accounts."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_moderator(self):
        """Moderators are staff: they may act on every organisation's listings."""
        return self.is_staff


# A number on the Scottish Charity Register (OSCR): SC and six digits, as org-id.guide's
# scheme GB-SC gives it (https://org-id.guide/list/GB-SC).
SCOTTISH_CHARITY_NUMBER = RegexValidator(
    r"\ASC[0-9]{6}\Z",
    message="Enter a Scottish charity number in the right format, like SC012345",
    code="scottish_charity_number",
)


def normalise_charity_number(value):
    """ "sc 012 345" as the register writes it: SC012345."""
    return "".join(value.split()).upper()


class OrganisationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Organisation.Status.APPROVED)


class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    charity_number = models.CharField(
        "Scottish charity number",
        max_length=40,
        blank=True,
        validators=[SCOTTISH_CHARITY_NUMBER],
        help_text="SC and six digits, as on the Scottish Charity Register, for example SC012345.",
    )
    contact_name = models.CharField(max_length=100, blank=True)
    why = models.TextField(
        blank=True, help_text="What the organisation does, as told at sign-up (moderators only)."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Example listing from the demo data.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.slug])

    def clean_fields(self, exclude=None):
        # Written the register's way before it is checked, in every form that edits it.
        self.charity_number = normalise_charity_number(self.charity_number)
        super().clean_fields(exclude=exclude)

    @property
    def scottish_charity_number(self):
        """The charity number if it is one on the Scottish Charity Register, else ""."""
        number = normalise_charity_number(self.charity_number)
        try:
            SCOTTISH_CHARITY_NUMBER(number)
        except ValidationError:
            return ""
        return number

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        EDITOR = "editor", "Editor"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )

    class SessionEmails(models.TextChoices):
        NEVER = "never", "No emails"
        DAY_BEFORE = "day_before", "The day before each date"
        WEEKLY = "weekly", "Once a week, about the coming week's dates"

    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    # "Is it still on?" emails about the organisation's coming dates (the command
    # ask_about_coming_sessions); each person chooses for themselves, and nobody gets them
    # without asking.
    session_emails = models.CharField(
        "Emails asking “is it still on?”",
        max_length=10,
        choices=SessionEmails.choices,
        default=SessionEmails.NEVER,
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An admin's invitation for a colleague to join the organisation; works once, expires."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    def __str__(self):
        return f"Invitation for {self.email} to {self.organisation}"


def unique_slug(model, text, max_length=200):
    """A slug for `text` not yet used by any row of `model`."""
    base = slugify(text)[: max_length - 8] or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
