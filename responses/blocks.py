"""The question blocks editors compose a response form from (the page's ``questions`` field).

Every question: ``label``, ``key`` (optional; made from the label on save, then frozen; see
responses.keys), ``help_text``, ``required``. Choice questions add ``choices`` (one per line).
A table adds ``columns`` (any question type except table), ``min_rows`` and ``max_rows``;
respondents add and remove its rows. ``TableQuestionBlock.clean`` refuses fewest rows above
most rows (a Thai message on the "most rows" field).

Nothing outside this module and responses.models.pages reads blocks: use ``form.schema()``
(responses.schema.Question).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from responses import schema as S


class QuestionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Question"), max_length=500)
    key = blocks.CharBlock(
        label=_("Key"),
        required=False,
        max_length=64,
        help_text=_(
            "Leave empty: it is made from the question and never changes afterwards, "
            "so answers survive later edits of the wording."
        ),
    )
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=1000)
    required = blocks.BooleanBlock(label=_("Required"), required=False, default=False)

    class Meta:
        icon = "form"


class ChoiceQuestionBlock(QuestionBlock):
    choices = blocks.TextBlock(label=_("Choices, one per line"), rows=4)

    class Meta:
        icon = "list-ul"


class _SimpleQuestions(blocks.StreamBlock):
    """Every question type but the table (a table's columns, and the form's own questions)."""

    short_text = QuestionBlock(label=S.KIND_LABELS[S.SHORT_TEXT], icon="title")
    long_text = QuestionBlock(label=S.KIND_LABELS[S.LONG_TEXT], icon="pilcrow")
    number = QuestionBlock(label=S.KIND_LABELS[S.NUMBER], icon="decimal")
    date = QuestionBlock(label=S.KIND_LABELS[S.DATE], icon="date")
    single_choice = ChoiceQuestionBlock(label=S.KIND_LABELS[S.SINGLE_CHOICE], icon="radio-full")
    multiple_choice = ChoiceQuestionBlock(label=S.KIND_LABELS[S.MULTIPLE_CHOICE], icon="list-ul")
    yes_no = QuestionBlock(label=S.KIND_LABELS[S.YES_NO], icon="tick-inverse")
    email = QuestionBlock(label=S.KIND_LABELS[S.EMAIL], icon="mail")
    phone = QuestionBlock(label=S.KIND_LABELS[S.PHONE], icon="mobile-alt")
    file = QuestionBlock(label=S.KIND_LABELS[S.FILE], icon="upload")


class ColumnsBlock(_SimpleQuestions):
    class Meta:
        min_num = 1


class TableQuestionBlock(QuestionBlock):
    columns = ColumnsBlock(label=_("Columns"))
    min_rows = blocks.IntegerBlock(
        label=_("Fewest rows"),
        min_value=0,
        default=0,
        required=False,
        help_text=_("Rows a respondent must fill before submitting (0: none)."),
    )
    max_rows = blocks.IntegerBlock(
        label=_("Most rows"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
    )

    class Meta:
        icon = "table"

    def clean(self, value):
        value = super().clean(value)
        fewest, most = value.get("min_rows"), value.get("max_rows")
        if fewest and most and fewest > most:
            raise StructBlockValidationError(
                block_errors={
                    "max_rows": ValidationError(
                        gettext(
                            "The most rows (%(most)s) must not be fewer than the fewest rows "
                            "(%(fewest)s)."
                        )
                        % {"most": most, "fewest": fewest}
                    )
                }
            )
        return value


class QuestionsBlock(_SimpleQuestions):
    table = TableQuestionBlock(label=S.KIND_LABELS[S.TABLE])
