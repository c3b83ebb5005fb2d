"""The command line: python -m sensus COMMAND."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def build_sample(args: argparse.Namespace) -> int:
    from sensus.sample import build_sample as build

    started = time.perf_counter()
    path = build(args.db, scale=args.scale, seed=args.seed)
    print(
        f"Synthetic sample (scale {args.scale}, seed {args.seed}) written to {path} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return check(args)


def init(args: argparse.Namespace) -> int:
    from sensus import area_list

    try:
        by_name = args.name or (None if args.area.strip()[:1].isdigit() else args.area)  # --area takes a name too
        area = area_list.find(name=by_name) if by_name else area_list.find(code=args.area)
        path, _, count = area_list.init_store(args.db, area["code"])
    except (area_list.AreaNotFound, FileExistsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"New store for {area['name']} ({area['code']}) at {path}: {count:,} areas, no data yet; "
        f"load tables with `sensus ingest`"
    )
    return 0


def check(args: argparse.Namespace) -> int:
    """The data-quality report of the store as it is on disk now: the file read through first, then every
    check run afresh (not the results kept in the store when it was written)."""
    from sensus import check as checks
    from sensus import integrity

    try:
        snapshot = integrity.open_verified(args.db)
    except integrity.StoreProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    text, ok = checks.report(snapshot.con)
    print(text)
    return 0 if ok else 1


def rakor_file(args: argparse.Namespace) -> int:
    """deck and briefing: the rakor briefing for an area on a date, as .pptx or as offline .html, with the
    slides of the data the store holds for the area; refused when it holds none to present."""
    from sensus import area_list, briefing, deck, store

    path = store.db_path(args.db)
    if not path.exists():
        print(f"error: no store at {path}; run `python -m sensus build-sample` first", file=sys.stderr)
        return 2
    try:
        on = date.fromisoformat(args.date)
    except ValueError:
        print(f"error: --date {args.date!r} is not a date; expected YYYY-MM-DD", file=sys.stderr)
        return 2
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"error: --out {out}: no directory {out.parent}", file=sys.stderr)
        return 2
    with store.connect(path) as con:
        try:
            content = briefing.assemble(con, area_list.in_store(con, args.area), on, args.lang)
        except (area_list.AreaNotFound, briefing.BriefingError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    data = deck.to_pptx(content) if args.command == "deck" else briefing.to_html(content).encode()
    write_atomically(out, data)
    print(
        f"{args.command} for {content.name} ({content.code}) on {on:%Y-%m-%d} written to {out} "
        f"({len(content.slides)} slides, {len(data):,} bytes)"
    )
    return 0


def write_atomically(out: Path, data: bytes) -> None:
    """Write to a temporary file beside `out`, then rename: a failed write leaves no file behind."""
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, out)
    finally:
        Path(temp).unlink(missing_ok=True)


def ingest(args: argparse.Namespace) -> int:
    from sensus.ingest import IngestError, ingest_file

    started = time.perf_counter()
    try:
        report = ingest_file(
            args.kind,
            args.file,
            db=args.db,
            sheet=args.sheet,
            period=args.period,
            area=args.area,
            header_row=args.header_row,
            progress=lambda stage: print(f"[{time.perf_counter() - started:6.1f} s] {stage}", file=sys.stderr),
        )
    except IngestError as error:
        print(error.message, file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


def boundaries(args: argparse.Namespace) -> int:
    """A published boundary list (GeoJSON) made into the map's boundary file: codes and names kept, simplified."""
    import gzip
    import json

    from sensus import geo

    try:
        sources = [geo.read_boundary(source) for source in args.sources]
    except geo.BoundaryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    made = geo.boundary_file(sources, area=args.area, tolerance=args.tolerance or geo.SIMPLIFY_TOLERANCE)
    text = json.dumps(made, ensure_ascii=False, separators=(",", ":")).encode()
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"error: --out {out}: no directory {out.parent}", file=sys.stderr)
        return 2
    write_atomically(out, gzip.compress(text, mtime=0) if out.suffix == ".gz" else text)
    print(f"{len(made['features'])} areas written to {out} ({out.stat().st_size:,} bytes)")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="sensus", description="SP2020 census store and reports.")
    commands = root.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", help="the store file (default: $SENSUS_DB or data/sensus.duckdb)")
        sub.set_defaults(handler=handler)
        return sub

    sample = command("build-sample", build_sample, "write the synthetic, calibrated Kota Kupang sample")
    sample.add_argument(
        "--scale", type=int, default=1, help="regencies of Kupang's size (1 = Kota Kupang only; 12 is about NTT)"
    )
    sample.add_argument("--seed", type=int, default=2020, help="random seed (same seed, same numbers)")

    start = command("init", init, "start a new, empty store for a province or kabupaten/kota of Indonesia")
    which = start.add_mutually_exclusive_group(required=True)
    which.add_argument("--area", help="its Kemendagri code or name, e.g. 32.73 (Kota Bandung), 64 or Kalimantan Timur")
    which.add_argument("--name", help='its name, e.g. "Kota Samarinda"')

    command("check", check, "print the data-quality report; exit 1 when a check fails")

    load = command("ingest", ingest, "check a census extract and load it into the store (all or nothing)")
    load.add_argument("kind", choices=["areas", "population", "online", "asn"], help="what the file holds")
    load.add_argument("file", help="CSV (comma or semicolon, UTF-8), XLSX or Parquet")
    load.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
    load.add_argument(
        "--period",
        help="of a file holding several periods (tahun, semester, periode, bulan), the one to load (all by "
        "default), e.g. 2024-1 (tahun 2024, semester 1); of a population file without period columns, its period",
    )
    load.add_argument(
        "--area", help="of a population file without area columns, the area of its rows: a code such as 32.73"
    )
    load.add_argument(
        "--header-row", type=int, help="the row of the header (the first, if it takes several), where it is not found"
    )
    shapes = commands.add_parser(
        "boundaries",
        help="make the map's boundary file from published boundary lists (GeoJSON of kelurahan, kecamatan...)",
    )
    shapes.add_argument("sources", nargs="+", help="GeoJSON FeatureCollections of polygons, [longitude, latitude]")
    shapes.add_argument("--area", help="keep only this area and the areas below it, e.g. 53.71")
    shapes.add_argument("--tolerance", type=float, help="simplification in degrees (default 0.0001, about 11 m)")
    shapes.add_argument("--out", required=True, help="the file to write; gzipped when it ends in .gz")
    shapes.set_defaults(handler=boundaries)
    for name, suffix, help_text in (
        ("deck", "pptx", "write the rakor briefing deck: PowerPoint with native, editable charts"),
        ("briefing", "html", "write the rakor briefing as one offline HTML file (interactive, prints on A4)"),
    ):
        sub = command(name, rakor_file, help_text)
        sub.add_argument("--area", required=True, help="the area's Kemendagri code or name, e.g. 53.71.06 or Kota Lama")
        sub.add_argument(
            "--date",
            required=True,
            help="the day of the briefing, YYYY-MM-DD: within the area's SP Online data, else its ASN data, if any",
        )
        sub.add_argument("--lang", choices=("id", "en"), default="id", help="language (default: id)")
        sub.add_argument("--out", required=True, help=f"the file to write, e.g. rakor.{suffix}")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)
