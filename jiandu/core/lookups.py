"""An ORM lookup Django lacks; registered in CoreConfig.ready()."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column leaves out numbers the column cannot hold: they match nothing.

    Django does this for exact, gt, gte, lt and lte (ticket #27397, Django 5.0) but not for `in`,
    so a tampered multiple-choice submission (ModelMultipleChoiceField filters `pk__in`) holding a
    25-digit id was an OverflowError on SQLite, a server error, instead of an invalid choice.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))]
        return super().process_rhs(compiler, connection)


def register_lookups() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
