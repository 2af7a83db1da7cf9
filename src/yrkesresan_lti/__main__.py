"""``python -m yrkesresan_lti`` is the ``yrkesresan`` command."""

from yrkesresan_lti.cli import main

if __name__ == "__main__":
    main()
