"""`customers-mock`: parse flags → Settings → app → uvicorn. Failures are one line and a distinct exit code."""

from __future__ import annotations

import argparse
import copy
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from mock_server.settings import Settings

EXIT_OK = 0
EXIT_USAGE = 2  # argparse's own code for bad flags
EXIT_SPEC = 3
EXIT_FIXTURES = 4
EXIT_LISTEN = 5


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line instead of argparse's usage block.
        self.exit(EXIT_USAGE, f"customers-mock: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="customers-mock",
        description="A stateful mock of the Customers v2.0.0 API, served from its OpenAPI spec.",
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
    return parser


def _port(text: str) -> int:
    value = int(text) if text.isdigit() else -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port {text!r}: use 0-65535")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: use a whole number ≥ 0")
    return int(text)


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings(
        spec_path=args.spec,
        fixtures_dir=args.fixtures,
        seed=args.seed,
        generate=args.generate,
        host=args.host,
        port=args.port,
        access_log=args.access_log,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_from(args)
    from mock_server.app import create_app  # after parsing, so `--help` stays instant
    from mock_server.dataset import DatasetError
    from mock_server.spec import SpecError

    try:
        app = create_app(settings)
    except SpecError as error:
        return _fail(EXIT_SPEC, f"bad spec: {error}")
    except DatasetError as error:
        return _fail(EXIT_FIXTURES, f"bad fixtures: {error}")
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
    _serve(app, listener, settings.access_log)
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


def _serve(app: object, listener: socket.socket, access_log: bool) -> None:
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    logging_config = copy.deepcopy(LOGGING_CONFIG)
    # Our banner replaces uvicorn's start-up chatter; warnings and the per-request lines stay.
    logging_config["loggers"]["uvicorn.error"]["level"] = "WARNING"
    config = uvicorn.Config(app, access_log=access_log, log_config=logging_config, lifespan="on", server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


if __name__ == "__main__":
    raise SystemExit(main())
