from workflows.models.chains import Delegation, EndorsementStep
from workflows.models.endorsements import Endorsement
from workflows.models.history import TransitionRecord
from workflows.models.notifications import Notification
from workflows.models.recipients import Recipient
from workflows.models.register import CircularRegister, RegisterEntry

__all__ = [
    "CircularRegister",
    "Delegation",
    "Endorsement",
    "EndorsementStep",
    "Notification",
    "Recipient",
    "RegisterEntry",
    "TransitionRecord",
]
