"""Registry pages. Views are adapters: parse with a form, fetch through scoped queries (not
visible = 404), call one action, redirect (post/redirect/get)."""

from .cadres import cadre_create, cadre_detail, cadre_edit, cadre_list, cadre_move, cadres_export, filtered_cadres, my_record, relative_add, relative_remove
from .pickers import pick_cadres, pick_positions, pick_units
from .positions import position_create, position_detail, position_edit, position_list, positions_export
from .tenures import appoint_cadre, appoint_to_position, tenure_end, tenure_list, tenures_export
from .transfer import import_cancel, import_commit, import_index, import_preview, import_template
from .units import unit_create, unit_detail, unit_edit, unit_tree, units_export

__all__ = [
    "appoint_cadre",
    "appoint_to_position",
    "cadre_create",
    "cadre_detail",
    "cadre_edit",
    "cadre_list",
    "cadre_move",
    "cadres_export",
    "filtered_cadres",
    "import_cancel",
    "import_commit",
    "import_index",
    "import_preview",
    "import_template",
    "my_record",
    "pick_cadres",
    "pick_positions",
    "pick_units",
    "position_create",
    "position_detail",
    "position_edit",
    "position_list",
    "positions_export",
    "relative_add",
    "relative_remove",
    "tenure_end",
    "tenure_list",
    "tenures_export",
    "unit_create",
    "unit_detail",
    "unit_edit",
    "unit_tree",
    "units_export",
]
