"""Enumerations of an official letter. Stored values are the words printed on the letter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "", _("Normal")
    URGENT = "ด่วน", _("Urgent")
    VERY_URGENT = "ด่วนมาก", _("Very urgent")
    MOST_URGENT = "ด่วนที่สุด", _("Most urgent")


class Secrecy(models.TextChoices):
    NORMAL = "", _("Normal")
    CONFIDENTIAL = "ลับ", _("Confidential")
    SECRET = "ลับมาก", _("Secret")
    TOP_SECRET = "ลับที่สุด", _("Top secret")


DEFAULT_ADDRESSEE = "ผู้ว่าราชการจังหวัด ทุกจังหวัด"
DEFAULT_CLOSING = "จึงเรียนมาเพื่อโปรดพิจารณา"
DEFAULT_SALUTATION = "ขอแสดงความนับถือ"
ACTING_FOR = "ปฏิบัติราชการแทน"
