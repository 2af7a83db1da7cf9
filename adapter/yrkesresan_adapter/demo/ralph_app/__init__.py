"""Scripts run by the Ralph virtual environment's interpreter (not by ours).

:mod:`yrkesresan_adapter.demo.ralph` starts ``launch.py`` with ``.venv-ralph/bin/python``; the
script imports only Ralph and its dependencies.
"""
