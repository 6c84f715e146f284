"""Organisers' answers to "is it still on?" emails, and their choice of how often to get them.

The answer links work without signing in: the signature is the proof, and it covers one
coming date and one action. A GET only shows the date and a button, so a mail scanner that
opens every link changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from directory import timetable
from directory.manage.access import organisation_for_user
from directory.manage.forms import CancellationForm, SessionEmailsForm
from directory.manage.groups import get_and_post
from directory.models import SessionQuestion

ANSWER_TEMPLATE = "organiser/session_answer.html"
UNUSABLE_STATUS = {"answered": 200, "over": 410, "left": 410, "changed": 410, "extra": 200}


@get_and_post
def session_answer(request, token):
    question, answer = SessionQuestion.from_link(token)
    if question is None:
        return render(request, ANSWER_TEMPLATE, {"problem": "broken"}, status=404)
    session = question.session()
    context = {"question": question, "answer": answer, "group": question.group, "session": session}
    problem = question.why_unusable(session, answer)
    if problem:
        status = UNUSABLE_STATUS[problem]
        return render(request, ANSWER_TEMPLATE, {**context, "problem": problem}, status=status)
    cancelling = answer == SessionQuestion.Answer.CANCEL
    form = CancellationForm(request.POST or None) if cancelling else None
    if request.method == "POST" and (form is None or form.is_valid()):
        # Claimed first: of two presses at once, only one acts.
        if question.claim(answer):
            if cancelling:
                timetable.cancel_date(question.group, session.date, form.cleaned_data["note"])
            else:
                timetable.confirm_session(session)
        return redirect("session_answer", token)
    return render(request, ANSWER_TEMPLATE, {**context, "form": form})


@get_and_post
@login_required
def session_emails(request, slug):
    """Each member chooses for themselves how often to be asked "is it still on?"."""
    organisation, access = organisation_for_user(request, slug)
    if access.membership is None:  # a moderator who isn't a member has no emails to choose
        raise Http404("Not a member")
    form = SessionEmailsForm(request.POST or None, instance=access.membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        choice = access.membership.get_session_emails_display()
        messages.success(request, f"Saved: {choice[0].lower() + choice[1:]}.")
        return redirect("dashboard")
    return render(
        request, "organiser/session_emails.html", {"organisation": organisation, "form": form}
    )
