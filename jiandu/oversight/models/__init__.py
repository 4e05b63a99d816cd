"""Oversight (日常监督) models, one module per aggregate."""

from .clues import Clue, JointMeeting, JointMember
from .dispositions import CATEGORY_OF, NEW_MEASURE_CHOICES, Bar, Category, Disposition, Measure
from .duty import DutyReport, DutySession
from .files import Attachment
from .inquiries import Inquiry
from .talks import Talk
from .tours import Finding, FollowUpVisit, InspectionTour, RectificationItem, RectificationUpdate, TourMember, TourTarget, WorkLog

__all__ = [
    "CATEGORY_OF",
    "NEW_MEASURE_CHOICES",
    "Bar",
    "Attachment",
    "Category",
    "Clue",
    "Disposition",
    "DutyReport",
    "DutySession",
    "Finding",
    "Inquiry",
    "InspectionTour",
    "JointMeeting",
    "JointMember",
    "Measure",
    "FollowUpVisit",
    "RectificationItem",
    "RectificationUpdate",
    "Talk",
    "TourMember",
    "TourTarget",
    "WorkLog",
]
