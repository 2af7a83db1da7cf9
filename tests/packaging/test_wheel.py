"""The wheel works alone: installed without extras in a fresh virtualenv, the example catalog
is there, the adapter names its extra, and every Python block of the README and the docs
runs as written (the adapter's blocks after installing its extra; LRS blocks against Ralph).
"""

from __future__ import annotations

import pytest

from tests.packaging.conftest import WheelEnv
from tests.packaging.docblocks import CodeBlock, code_blocks
from yrkesresan_adapter.demo.ralph import RalphServer

pytestmark = [pytest.mark.slow, pytest.mark.ralph]

BLOCKS = code_blocks()
CORE = [b for b in BLOCKS if not b.needs_adapter]
ADAPTER = [b for b in BLOCKS if b.needs_adapter]


def lrs_env(ralph: RalphServer) -> dict[str, str]:
    return {
        "YRKESRESAN_LRS__ENDPOINT": ralph.endpoint,
        "YRKESRESAN_LRS__USERNAME": ralph.username,
        "YRKESRESAN_LRS__PASSWORD": ralph.password,
    }


def test_the_docs_have_python_examples_to_run() -> None:
    documents = {b.document.name for b in BLOCKS}
    assert {"README.md", "developer.md", "catalog.md", "xapi.md", "lrs.md"} <= documents


def test_the_example_catalog_ships_in_the_wheel(wheel_env: WheelEnv) -> None:
    done = wheel_env.run_code(
        "from yrkesresan_lti.catalog import default_catalog_path, load_catalog\n"
        "path = default_catalog_path()\n"
        "print(path)\n"
        "print(load_catalog(path).counts()['courses'])\n"
    )
    assert done.returncode == 0, done.stderr
    path, courses = done.stdout.split()
    assert path.startswith(str(wheel_env.root))
    assert path.endswith("site-packages/yrkesresan_lti/catalog/example")
    assert int(courses) > 0


def test_the_adapter_without_its_extra_names_the_extra(wheel_env: WheelEnv) -> None:
    assert "ModuleNotFoundError: yrkesresan_adapter needs the 'adapter' extra" in (
        wheel_env.adapter_import_error
    )
    assert "pip install 'yrkesresan-lti[adapter]'" in wheel_env.adapter_import_error


@pytest.mark.parametrize("block", CORE, ids=[b.name for b in CORE])
def test_doc_example_runs_with_the_core_alone(
    wheel_env: WheelEnv, ralph: RalphServer, block: CodeBlock
) -> None:
    done = wheel_env.run_code(block.code, lrs_env(ralph))
    assert done.returncode == 0, f"{block.name}:\n{done.stderr}"


@pytest.mark.parametrize("block", ADAPTER, ids=[b.name for b in ADAPTER])
def test_doc_example_runs_with_the_adapter_extra(wheel_env: WheelEnv, block: CodeBlock) -> None:
    wheel_env.install_extra("adapter")
    done = wheel_env.run_code(block.code)
    assert done.returncode == 0, f"{block.name}:\n{done.stderr}"
