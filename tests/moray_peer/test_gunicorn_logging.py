"""gunicorn's messages carry no visitor's address and no query string."""

import logging
from pathlib import Path

from gunicorn.config import Config

from moray_peer.gunicorn_logging import PrivateLogger


def logger():
    config = Config()
    config.set("errorlog", "-")
    return PrivateLogger(config)


def test_a_malformed_request_is_logged_without_the_address_or_the_query(caplog):
    log = logger()
    log.error_log.propagate = True
    with caplog.at_level(logging.WARNING, logger="gunicorn.error"):
        log.warning(
            "Invalid request from ip=203.0.113.9: Invalid HTTP request line: "
            "'GET /?q=postnatal+depression HTTP/1.1 x'"
        )
    text = caplog.text
    assert "203.0.113.9" not in text
    assert "postnatal" not in text
    assert "Invalid request refused (Invalid HTTP request line)" in text


def test_a_failed_request_is_logged_without_its_address(caplog):
    log = logger()
    log.error_log.propagate = True
    with caplog.at_level(logging.ERROR, logger="gunicorn.error"):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("Error handling request %s %s", "GET", "/groups/?q=sleep")
    assert "q=sleep" not in caplog.text
    assert "Error handling request" in caplog.text


def test_the_server_uses_it():
    config = Config()
    config.set("logger_class", "moray_peer.gunicorn_logging.PrivateLogger")
    namespace = {}
    exec(Path(__file__).resolve().parents[2].joinpath("gunicorn.conf.py").read_text(), namespace)
    assert namespace["logger_class"] == "moray_peer.gunicorn_logging.PrivateLogger"
    assert config.logger_class is PrivateLogger
