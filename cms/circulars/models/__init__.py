from cms.circulars.models.choices import Secrecy, Urgency
from cms.circulars.models.pages import CircularIndexPage, CircularPage, CircularTopic
from cms.circulars.models.parts import CircularEnclosure, CircularReference

__all__ = [
    "CircularEnclosure",
    "CircularIndexPage",
    "CircularPage",
    "CircularReference",
    "CircularTopic",
    "Secrecy",
    "Urgency",
]
