"""The Kivy app: holds the services, shows screens, relays sync status to the UI thread.

Kept small on purpose (electrum's 1,500-line App is the counter-example): screens do the
screen work; services do the store work; the sync worker does the network.
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from shared.collector import tune_collector

from . import symbol_labels
from .bidi import isolate
from .fonts import register_cjk_font, register_symbol_font
from .i18n import clock_warning_text, tr
from .pickers import DateField, FitDropDown  # noqa: F401 - registers the kv classes
from .screens import load_screen, preload
from .services import (
    CareList,
    CustomerLookup,
    CustomerSearch,
    MyCustomers,
    ProfileService,
    RecordCapture,
    RotationService,
    TodaysVisitors,
)
from .store import LocalStore
from .sync import SyncClient, SyncStatus, SyncWorker
from .sync.transport import Transport
from .tasks import BackgroundTasks
from .widgets import FormInput, MessageBar, SignaturePad, Stack  # noqa: F401 - registers the kv classes

__all__ = ["FieldsyncApp"]

HERE = Path(__file__).parent
HEARTBEAT_S = 5.0  # a GET /healthz this often while online: 离线 shows within ~10 s (issue 14)


class FieldsyncApp(App):
    lang = StringProperty("zh")
    sync_line = StringProperty("")
    sync_alert = BooleanProperty(False)
    clock_warning = StringProperty("")  # shown on home and sync when the wall clock is far off
    user = DictProperty({})

    def __init__(self, data_dir: str | Path, server_url: str | None = None, sync_interval: float = 180.0,
                 transport: Transport | None = None, **kwargs):
        super().__init__(**kwargs)
        self.data_dir, self.default_server = Path(data_dir), server_url
        self.sync_interval, self.transport = sync_interval, transport
        self.status = SyncStatus()
        self.history: list[str] = []
        self.font_path: str | None = None
        self.worker: SyncWorker | None = None
        self.store: LocalStore | None = None
        self.title = "fieldsync"

    # -- life cycle ------------------------------------------------------------------------
    def build(self):
        self.font_path = register_cjk_font()
        register_symbol_font()  # pictographs in names (issue 14): drawn, never a box
        symbol_labels.install()  # … by every Label, whoever made its text (issue 14 F4)
        Window.clearcolor = (0.95, 0.96, 0.98, 1)
        Builder.load_file(str(HERE / "widgets.kv"))
        preload()  # screen modules and .kv texts read now, before the first frame
        tune_collector()  # what is loaded now frozen; a first sync's rows in bulk scanned less often (issue 13)
        self.tasks = BackgroundTasks()
        self.sm = ScreenManager(transition=NoTransition())
        self.open_profile(self.data_dir)
        return self.sm

    def open_profile(self, data_dir: Path) -> None:
        """Open one tablet identity (its own store) and start syncing it.

        Runs from ``build`` before the first frame: the only store reads made on the UI
        thread, loading what screens need into ``self.profile``."""
        self.close_profile()
        self.data_dir = Path(data_dir)
        self.store = LocalStore(self.data_dir / "fieldsync.db")
        self.profile = ProfileService(self.store)
        loaded = self.profile.load()
        self.lang = loaded.language or self.lang
        self.user = loaded.user
        self.capture = RecordCapture(self.store)
        self.lookup = CustomerLookup(self.store, lang=lambda: self.lang)
        self.rotation = RotationService(self.store, self.capture)
        self.customers = MyCustomers(self.store)
        self.care = CareList(self.store, self.customers)
        self.today = TodaysVisitors(self.store)
        self.search = CustomerSearch(self.store)
        self.client = SyncClient(self.store, self.transport)
        self.worker = SyncWorker(self.client, self.store, self.sync_interval, on_status=self._status_from_worker,
                                 backoff_base=0.5, backoff_cap=30.0, heartbeat_s=HEARTBEAT_S)
        for screen in list(self.sm.screens):
            self.sm.remove_widget(screen)
        self.history = []
        self.worker.start()
        self.worker.request_sync()
        self.show("home" if loaded.signed_in else "enrol")

    def close_profile(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def on_stop(self):
        self.tasks.shutdown()
        self.close_profile()

    # -- navigation ------------------------------------------------------------------------
    def screen(self, name: str):
        """The screen called ``name``, created (and its .kv loaded) on first use."""
        if not self.sm.has_screen(name):
            self.sm.add_widget(load_screen(name))
        return self.sm.get_screen(name)

    def show(self, name: str) -> None:
        screen = self.screen(name)
        if self.sm.current_screen is not None and self.sm.current != name:
            self.history.append(self.sm.current)
        self.sm.current = screen.name

    def go_back(self) -> None:
        target = self.history.pop() if self.history else "home"
        self.sm.current = self.screen(target if self.profile.current.signed_in else "enrol").name

    # -- language --------------------------------------------------------------------------
    def t(self, key: str, lang: str | None = None, **values) -> str:
        """The string shown for ``key`` (``i18n.tr``); a value holding a right-to-left letter (an
        Arabic or Hebrew name) goes in as an isolate (``bidi.isolate``): drawn right to left
        without turning the digits after it ("محمد علي　139****5678") into its direction.
        Display only: text a record stores or sends is made with ``tr`` (issue 14)."""
        return tr(key, lang or self.lang, **{k: isolate(v) if isinstance(v, str) else v for k, v in values.items()})

    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "zh" else "zh")

    def set_language(self, lang: str) -> None:
        self.lang = lang
        store = self.store
        if store is not None:  # before sign-in there is no local store yet: nothing to remember it in
            self.tasks.run(lambda: store.set_meta(language=lang))
        self._render_status()
        for screen in self.sm.screens:
            screen.on_language()

    # -- sync ------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.worker is not None:
            self.worker.request_sync()

    def signed_in(self, user: dict) -> None:
        self.user = user
        self.history = []
        self.sync_now()
        self.show("home")

    def _status_from_worker(self, status: SyncStatus) -> None:
        """Called on the worker thread: reload the profile there after a sync (a pull may
        bring the site's name and time zone), then hand over to the UI thread."""
        before = self.profile.current
        if status.last_report is not None and not status.syncing:
            self.profile.load()
        changed = self.profile.current != before
        Clock.schedule_once(lambda _dt: self._apply_status(status, changed))  # worker thread → UI thread

    @mainthread
    def _apply_status(self, status: SyncStatus, profile_changed: bool = False) -> None:
        self.status = status
        self._render_status()
        current = self.sm.current_screen
        if current is not None and profile_changed:
            current.on_profile_changed()
        if current is not None and hasattr(current, "on_sync_status"):
            current.on_sync_status(status)

    def _render_status(self) -> None:
        s = self.status
        parts = [self.t("status.pending", pending=s.pending)]
        if s.rejected:
            parts.append(self.t("status.rejected", rejected=s.rejected))
        if s.last_error_code == "device_revoked":
            parts.append(self.t("status.revoked"))
        elif s.needs_sign_in:
            parts.append(self.t("status.signin"))
        elif s.syncing:
            parts.append(self.t("status.syncing"))
        elif s.last_error_code == "server_error":
            parts.append(self.t("status.server_error", status=s.last_error_status))
        elif s.online is False:
            parts.append(self.t("status.offline"))
        elif s.online:
            parts.append(self.t("status.online"))
        self.sync_line = " · ".join(parts)
        self.sync_alert = bool(s.rejected or s.needs_sign_in or s.last_error_code == "server_error")
        self.clock_warning = clock_warning_text(s.clock_offset_ms, self.t)

    def time_text(self, iso: str | None, with_time: bool = True) -> str:
        """A stored time in the site's time zone (from memory: safe on the UI thread)."""
        return self.profile.current.local_text(iso, with_time)
