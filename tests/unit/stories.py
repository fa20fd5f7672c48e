"""What the domain stories share: acting on a date, and a case as the store gives it back."""

from eventsourcing.application import Application
from hexie.domain.case import Context, acting


def on(date: str):
    return acting(Context(occurred_on=date, actor="officer-yyl"))


def replayed(case):
    """The case as the store gives it back: events through JSON, bodies re-run."""
    app = Application(env={"TRANSCODER_TOPIC": "hexie.domain.store:OrjsonTranscoder", "PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.save(case)
    return app.repository.get(case.id)
