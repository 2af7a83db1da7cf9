"""Pages link their style sheet, icon and script by fingerprinted URLs under the app's own
path (a tool mounted under a prefix links its assets under that prefix, every time)."""

from __future__ import annotations

from pathlib import Path

from tests.lti_fixtures import make_app
from yrkesresan_adapter.pages.assets import asset_url, fingerprint
from yrkesresan_adapter.state import AdapterState


def test_asset_urls_follow_the_script_root_of_each_request(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    expected = f"/pages/static/pages.css?v={fingerprint('pages.css')}"
    try:
        for _ in range(2):
            with app.test_request_context("/pages/"):
                assert asset_url("pages.css") == expected
            with app.test_request_context("/pages/", base_url="http://localhost/tool/"):
                assert asset_url("pages.css") == "/tool" + expected
                assert asset_url("pages.js").startswith("/tool/pages/static/pages.js?v=")
    finally:
        AdapterState.of(app).services.db.dispose()
