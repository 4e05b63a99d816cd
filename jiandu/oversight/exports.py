"""xlsx export of any oversight list: the same column definitions as the page (tables.py)."""

import datetime as dt
import io
from urllib.parse import quote

import xlsxwriter
from django.http import HttpResponse


def xlsx_response(filename: str, sheet: str, columns, rows) -> HttpResponse:
    """One sheet: a bold header row, then one row per record; dates as dates, numbers as numbers."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    worksheet = workbook.add_worksheet(str(sheet)[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, column in enumerate(columns):
        worksheet.write(0, col, str(column.label), header)
        worksheet.set_column(col, col, column.width)
    for row_number, row in enumerate(rows, start=1):
        for col, column in enumerate(columns):
            value = column.export(row)
            if hasattr(value, "year") and hasattr(value, "month") and not hasattr(value, "hour"):
                worksheet.write_datetime(row_number, col, dt.datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                worksheet.write_number(row_number, col, value)
            elif value is None:
                worksheet.write_blank(row_number, col, None)
            else:
                worksheet.write_string(row_number, col, str(value))
    worksheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}.xlsx"
    response["X-Content-Type-Options"] = "nosniff"
    return response
