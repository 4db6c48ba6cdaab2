"""Small services between the screens and the store/sync client: screens never touch SQL."""

from .capture import RecordCapture
from .care import CareList, DueToday
from .customers import DueCustomer, MyCustomers
from .lookup import CustomerLookup, CustomerStatus
from .profile import ProfileService, TabletProfile
from .rotation_board import RotationService
from .search import CustomerSearch, FoundCustomer
from .today import DeskDay, TodaysVisitors

__all__ = ["RecordCapture", "CustomerLookup", "CustomerStatus", "RotationService", "MyCustomers", "DueCustomer",
           "ProfileService", "TabletProfile", "TodaysVisitors", "DeskDay",
           "CustomerSearch", "FoundCustomer", "CareList", "DueToday"]
