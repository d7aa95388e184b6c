"""`customers-mock`: parse flags → Settings → app → uvicorn. Failures are one line and a distinct exit code."""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import socket
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mock_server.latency import InvalidLatency, parse_latency
from mock_server.settings import MEMORY_STORE, Settings

EXIT_OK = 0
EXIT_USAGE = 2  # argparse's own code for bad flags
EXIT_SPEC = 3
EXIT_FIXTURES = 4
EXIT_LISTEN = 5
EXIT_STORE = 6
SETTINGS_VARIABLE = "CUSTOMERS_MOCK_SETTINGS"  # hands the settings to worker processes
_ORIGIN = re.compile(r"\Ahttps?://[^/?#\s]+\Z")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line instead of argparse's usage block.
        self.exit(EXIT_USAGE, f"customers-mock: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="customers-mock",
        description="A stateful mock of the Customers v2.0.0 API, served from its OpenAPI spec.",
        epilog="customers-mock state dump|load|reset [--url URL] controls a running mock's state "
        "(see customers-mock state --help).",
    )
    defaults = Settings()
    parser.add_argument("--host", default=defaults.host, help="interface to listen on (default: %(default)s)")
    parser.add_argument(
        "--port", type=_port, default=defaults.port, help="port, 0 for any free one (default: %(default)s)"
    )
    parser.add_argument(
        "--spec", type=Path, default=defaults.spec_path, metavar="PATH", help="OpenAPI document to serve"
    )
    parser.add_argument(
        "--fixtures", type=Path, default=defaults.fixtures_dir, metavar="DIR", help="YAML dataset to start with"
    )
    parser.add_argument(
        "--seed", type=int, default=defaults.seed, metavar="N", help="seed for ids and fake data (default: 0)"
    )
    parser.add_argument(
        "--generate",
        type=_count,
        default=None,
        metavar="N",
        help="start with N generated customers instead of the fixtures",
    )
    parser.add_argument(
        "--no-access-log", dest="access_log", action="store_false", help="do not print a line per request"
    )
    parser.add_argument(
        "--store",
        type=_store,
        default=defaults.store,
        metavar="URL",
        help="where the state lives: memory (default) or sqlite:PATH (kept across restarts, shareable)",
    )
    parser.add_argument(
        "--workers", type=_workers, default=1, metavar="N", help="serve from N processes (needs --store sqlite:PATH)"
    )
    parser.add_argument("--no-cors", dest="cors", action="store_false", help="answer no CORS headers at all")
    parser.add_argument(
        "--cors-origin",
        dest="cors_origins",
        type=_origin,
        action="append",
        default=[],
        metavar="URL",
        help="an origin allowed to send credentials (cookies); repeatable. Other origins get CORS without credentials",
    )
    parser.add_argument(
        "--latency",
        type=_latency,
        default=None,
        metavar="DELAY",
        help="wait before every API answer: 200ms, 1.5s or a range such as 100-400ms",
    )
    parser.add_argument(
        "--require-auth",
        action="store_true",
        help="answer 401 without 'Authorization: Bearer <token>', 403 for the fixtures' forbidden tokens",
    )
    return parser


def _attach_negative_values(argv: list[str]) -> list[str]:
    """`--latency -5ms` as `--latency=-5ms`: argparse would read `-5ms` as a flag and say nothing useful."""
    attached: list[str] = []
    for arg in argv:
        if attached and attached[-1] == "--latency" and arg.startswith("-") and arg[1:2].isdigit():
            attached[-1] = f"--latency={arg}"
        else:
            attached.append(arg)
    return attached


def _port(text: str) -> int:
    value = int(text) if text.isdigit() else -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: use 0-65535")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: use a whole number ≥ 0")
    return int(text)


def _store(text: str) -> str:
    kind, _, location = text.partition(":")
    if text != MEMORY_STORE and not (kind == "sqlite" and location):
        raise argparse.ArgumentTypeError(f"invalid store {text!r}: use memory or sqlite:PATH")
    return text


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"invalid worker count {text!r}: use 1-64")
    return int(text)


def _origin(text: str) -> str:
    text = text.rstrip("/")  # a pasted `http://localhost:5173/` means the origin `http://localhost:5173`
    if not _ORIGIN.match(text):
        raise argparse.ArgumentTypeError(
            f"invalid origin {text!r}: use scheme://host[:port], e.g. http://localhost:5173"
        )
    return text


def _latency(text: str) -> str:
    try:
        parse_latency(text)
    except InvalidLatency as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        spec_path=args.spec,
        fixtures_dir=args.fixtures,
        seed=args.seed,
        generate=args.generate,
        host=args.host,
        port=args.port,
        access_log=args.access_log,
        store=args.store,
        cors=args.cors,
        cors_origins=tuple(args.cors_origins),
        latency=args.latency,
        require_auth=args.require_auth,
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["state"]:
        from mock_server.state_cli import main as state_main

        return state_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(_attach_negative_values(argv))
    if args.workers > 1 and args.store == MEMORY_STORE:
        parser.error("--workers needs a shared store: add --store sqlite:PATH")
    if not args.cors and args.cors_origins:
        parser.error("--cors-origin needs CORS, which --no-cors turns off: drop one of them")
    settings = settings_from(args)
    from mock_server.app import StoreSettingError, create_app  # after parsing, so `--help` stays instant
    from mock_server.dataset import DatasetError
    from mock_server.spec import SpecError

    try:
        app = create_app(settings)
    except SpecError as error:
        return _fail(EXIT_SPEC, f"bad spec: {error}")
    except DatasetError as error:
        return _fail(EXIT_FIXTURES, f"bad fixtures: {error}")
    except StoreSettingError as error:
        return _fail(EXIT_STORE, f"bad store: {error}")
    try:
        listener = _listen(settings.host, settings.port)
    except OSError as error:
        return _fail(EXIT_LISTEN, f"cannot listen on {settings.host}:{settings.port}: {error.strerror or error}")
    host, port = listener.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    store = app.state.store
    roots = ", ".join(f"{store.count(r.name, parent_id=None)} {r.name}" for r in app.state.mock.model.roots)
    print(
        f"customers-mock: serving http://{shown_host}:{port} ({roots}; seed {settings.seed}); Ctrl+C stops", flush=True
    )
    if args.workers > 1:
        store.close()  # each worker opens the file itself
        _serve_workers(settings, listener, args.workers)
    else:
        _serve(app, listener)
    return EXIT_OK


def _fail(code: int, message: str) -> int:
    print(f"customers-mock: {message}", file=sys.stderr)
    return code


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError:
        listener.close()
        raise
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _logging_config() -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    # Our banner replaces uvicorn's start-up chatter; warnings stay. Request lines are ours (`access_log`).
    config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config["formatters"]["mock_access"] = {"format": "%(message)s"}
    config["handlers"]["mock_access"] = {
        "class": "logging.StreamHandler",
        "formatter": "mock_access",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["customers_mock.access"] = {"handlers": ["mock_access"], "level": "INFO", "propagate": False}
    return config


def _serve(app: object, listener: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(app, access_log=False, log_config=_logging_config(), lifespan="on", server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


def _serve_workers(settings: Settings, listener: socket.socket, workers: int) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[SETTINGS_VARIABLE] = json.dumps(asdict(settings), default=str)
    config = uvicorn.Config(
        "mock_server.cli:worker_app",
        factory=True,
        workers=workers,
        access_log=False,
        log_config=_logging_config(),
        lifespan="on",
        server_header=False,
    )
    try:
        Multiprocess(config, sockets=[listener]).run()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


def worker_app() -> object:
    """The app of one worker process, from the settings the parent process handed down."""
    from mock_server.app import create_app

    fields = json.loads(os.environ[SETTINGS_VARIABLE])
    fields["spec_path"], fields["fixtures_dir"] = Path(fields["spec_path"]), Path(fields["fixtures_dir"])
    fields["cors_origins"] = tuple(fields["cors_origins"])
    return create_app(Settings(**fields))


if __name__ == "__main__":
    raise SystemExit(main())
