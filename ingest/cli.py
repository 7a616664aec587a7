"""`chitieu` — the command line: the same pipeline functions the Airflow DAG calls.

chitieu run --landing DIR --warehouse FILE   load what arrived, build the marts
chitieu close-period 2023-2024 cuoi_nam      close a period: its folder is checked, not walked
chitieu demo                                 sample data + the real Airflow DAG + scorecard
chitieu generate --landing DIR               write the Phong Thổ sample landing folder
chitieu scorecard --warehouse FILE --unit 109

(Long on purpose: one small function per subcommand and their argument parsers; the
work is done by the stage modules they call.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from ingest.config import DEFAULT_DATA, Paths

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def _print_summary(summary, elapsed: float) -> None:
    loaded = summary.loaded
    print(
        f"\nĐã xem {summary.seen} tệp: {len(loaded)} tệp mới, {summary.already_loaded} tệp đã nạp "
        "từ trước (bỏ qua)."
    )
    print(f"  Tiếp nhận:            {summary.count('accepted')}")
    print(f"  Tiếp nhận, cảnh báo:  {summary.count('accepted_with_warnings')}")
    print(f"  Bị từ chối:           {summary.count('rejected')}")
    if not loaded.empty:
        from ingest.validate.quarantine import as_findings

        for row in loaded[loaded["status"] == "rejected"].to_dict("records"):
            print(f"\n  ✗ {row['landing_path']}")
            found = summary.findings[summary.findings["file_hash"] == row["file_hash"]]
            for finding in as_findings(found[found["severity"] == "error"])[:5]:
                print(f"      {finding.render()}")
            more = int((found["severity"] == "error").sum()) - 5
            if more > 0:
                print(f"      … và {more} lỗi khác (xem quarantine/{row['file_hash'][:12]}…/phan_hoi.txt)")
    if summary.models:
        marts = [m for m in summary.models if m.startswith("marts.")]
        print(
            f"\nĐã dựng {len(summary.models)} mô hình dbt, trong đó {len(marts)} bảng marts: "
            + ", ".join(sorted(m.split(".", 1)[1] for m in marts))
        )
    for folder in summary.closed_changed:
        print(
            f"\nLưu ý: thư mục {folder} thuộc kỳ đã khóa sổ nhưng có tệp mới, bị xoá hoặc đổi tên. "
            "Tệp mới vẫn được nạp như thường; hãy xác nhận với đơn vị gửi."
        )
    if not summary.rebuilt and summary.published is None:
        print(
            "\nKhông có dữ liệu mới và không có thay đổi nào ảnh hưởng tới các bảng chỉ tiêu: "
            "không dựng lại, phiên bản đã công bố giữ nguyên."
        )
    if summary.published is not None:
        pub = summary.published
        print(
            f"Đã công bố phiên bản {pub.version} cho người dùng: {pub.snapshot} (chỉ đọc), "
            f"{pub.parquet}" + (", PostgreSQL schema marts" if pub.postgres else "")
        )
    print(f"Thời gian: {elapsed:.1f} giây")


def cmd_run(args: argparse.Namespace) -> int:
    from ingest import pipeline
    from ingest.load.pool import stop_workers
    from ingest.ops.runlock import RunLocked
    from ingest.transform.dbt_process import stop_all as stop_dbt_processes

    paths = Paths.from_env(args.landing, args.warehouse)
    started = time.perf_counter()
    try:
        summary = pipeline.run(paths, progress=True, wait_s=args.wait)
    except RunLocked as exc:
        print(f"DỪNG: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # noqa: BLE001 - the pipeline itself failed: say so, exit non-zero
        print(f"LỖI: quá trình nạp dữ liệu thất bại: {explain(exc)}", file=sys.stderr)
        return 1
    finally:
        stop_workers()
        stop_dbt_processes()
    _print_summary(summary, time.perf_counter() - started)
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from ingest import pipeline
    from ingest.load.pool import stop_workers
    from ingest.ops.runlock import RunLocked
    from ingest.transform.dbt_process import stop_all as stop_dbt_processes

    paths = Paths.from_env(args.landing, args.warehouse)
    started = time.perf_counter()
    try:
        summary = pipeline.rebuild(paths, progress=True)
    except RunLocked as exc:
        print(f"DỪNG: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # noqa: BLE001
        print(f"LỖI: dựng lại kho dữ liệu thất bại (kho cũ giữ nguyên): {explain(exc)}", file=sys.stderr)
        return 1
    finally:
        stop_workers()
        stop_dbt_processes()
    print("Đã dựng lại kho dữ liệu từ thư mục landing.")
    _print_summary(summary, time.perf_counter() - started)
    return 0


def cmd_close_period(args: argparse.Namespace) -> int:
    from ingest.landing.closed_periods import ClosingError, close_period, closed_folders, reopen_period

    paths = Paths.from_env(args.landing, args.warehouse)
    try:
        if args.reopen:
            if reopen_period(paths, args.school_year, args.period):
                print(
                    f"Đã mở lại kỳ {args.period} năm học {args.school_year}: thư mục được duyệt lại từng tệp."
                )
            else:
                print(f"Kỳ {args.period} năm học {args.school_year} chưa khóa sổ: không có gì thay đổi.")
        else:
            closed = close_period(paths, args.school_year, args.period)
            kinds = closed.record["kind"].to_pylist()
            print(
                f"Đã khóa sổ kỳ {args.period} năm học {args.school_year}: {kinds.count('file')} tệp trong "
                f"{kinds.count('folder')} thư mục ({closed.folder}). Các lần chạy sau chỉ kiểm tra các thư "
                "mục của kỳ này; tệp gửi muộn vào đây vẫn được nạp và được báo. Mở lại: "
                f"chitieu close-period --reopen {args.school_year} {args.period}"
            )
    except ClosingError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 2
    folders = sorted(r.folder for r in closed_folders(paths).by_path.values())
    print("Các kỳ đã khóa sổ: " + (", ".join(folders) if folders else "(chưa có)"))
    return 0


def explain(exc: BaseException) -> str:
    """A failure of the world (disk, permissions, server) in words a department can act on."""
    import errno

    text = str(exc)
    full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
    if full or "No space left on device" in text or "Disk quota exceeded" in text:
        return (
            "hết dung lượng đĩa khi ghi "
            + str(getattr(exc, "filename", None) or "dữ liệu")
            + ". Giải phóng dung lượng rồi chạy lại: phần đã nạp được giữ, phần dở dang bị bỏ."
        )
    if isinstance(exc, PermissionError):
        return (
            f"không có quyền truy cập {exc.filename}. Kiểm tra quyền của thư mục "
            "(landing chỉ cần quyền đọc; thư mục kho dữ liệu cần quyền ghi)."
        )
    if "connection" in text.lower() and ("refused" in text.lower() or "failed" in text.lower()):
        return (
            "không kết nối được PostgreSQL (" + text.splitlines()[0][:200] + "). Bản DuckDB "
            "và Parquet đã được công bố; chạy `chitieu publish` khi máy chủ hoạt động lại."
        )
    return text


def cmd_generate(args: argparse.Namespace) -> int:
    from ingest.sample.generate import generate_demo, generate_phong_tho

    landing = Path(args.landing)
    if args.clean and landing.exists():
        shutil.rmtree(landing)
    if args.broken:
        summary = generate_phong_tho(landing, seed=args.seed, broken_set=True)
    else:
        summary = generate_demo(landing, seed=args.seed)
    print(
        f"Đã tạo dữ liệu mẫu (Phong Thổ, Tuy Phong) tại {landing}: {summary.schools} trường, "
        f"{summary.workbooks} báo cáo, {len(summary.broken)} tệp lỗi cố ý."
    )
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from ingest import pipeline
    from ingest.ops.runlock import RunLocked, run_lock

    paths = Paths.from_env(None, args.warehouse)
    try:
        with run_lock(paths, "chitieu publish", wait_s=args.wait):
            published = pipeline.publish(paths, args.pg_dsn)
    except RunLocked as exc:
        print(f"DỪNG: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # noqa: BLE001 - say what failed, in Vietnamese, and exit non-zero
        print(f"LỖI: công bố dữ liệu thất bại: {explain(exc)}", file=sys.stderr)
        return 1
    print(
        f"Đã công bố phiên bản {published.version}: {len(published.tables)} bảng "
        f"({sum(published.tables.values()):,} dòng)"
    )
    print(f"  DuckDB (chỉ đọc): {published.snapshot}")
    print(f"  Parquet:          {published.parquet}")
    print(f"  PostgreSQL:       {'schema marts' if published.postgres else 'chưa cấu hình (CHITIEU_PG_DSN)'}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ingest.serve.report import write_reports

    paths = Paths.from_env(None, args.warehouse)
    out = Path(args.out) if args.out else paths.serving / "bao_cao"
    units = [(args.level, args.unit)] if args.unit else None
    written = write_reports(readable(paths), out, args.year, args.period, units)
    print(f"Đã viết {len(written)} báo cáo HTML vào {out}:")
    for path in written:
        print(f"  {path.name}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    import json
    import platform

    from ingest.ops.bench import print_table, run

    results = run(
        Path(args.data),
        args.schools,
        args.sample,
        args.naive,
        args.p3_runs,
        args.pg_dsn or os.environ.get("CHITIEU_PG_DSN"),
        history=not args.no_history,
    )
    print_table(results)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{results['date'][:19].replace(':', '')}-{platform.node()}.json"
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False), "utf-8")
    print(f"\nKết quả: {target}")
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from ingest.serve.scorecard import district_scorecard

    paths = Paths.from_env(None, args.warehouse)
    print(district_scorecard(readable(paths), args.unit, args.year, args.period))
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    from ingest.serve.backtest import report

    print(report(readable(Paths.from_env(None, args.warehouse))), end="")
    return 0


def readable(paths: Paths) -> Path:
    """What a reader opens: the published snapshot (the marts' own file only before any publish)."""
    from ingest.serve.publish import SNAPSHOT

    snapshot = paths.serving / SNAPSHOT
    return snapshot if snapshot.exists() else paths.marts


def cmd_demo(args: argparse.Namespace) -> int:
    from ingest.ops.airflow_local import last_run_state, run_dag
    from ingest.sample.generate import generate_demo
    from ingest.serve.scorecard import district_scorecard, province_trend

    data = Path(args.data)
    if data.exists():
        shutil.rmtree(data)
    paths = Paths.from_env(data / "landing", data / "warehouse" / "chitieu.duckdb")
    sample = generate_demo(paths.landing)
    print(
        f"1/3 Dữ liệu mẫu: {sample.schools} trường (huyện Phong Thổ, Lai Châu, năm học 2023-2024; "
        f"huyện Tuy Phong, Bình Thuận, 2022-2023 đến 2025-2026), {sample.workbooks} báo cáo, "
        f"{len(sample.broken)} tệp lỗi cố ý → {paths.landing}"
    )
    started = time.perf_counter()
    if args.no_airflow:
        from ingest import pipeline

        _print_summary(pipeline.run(paths), time.perf_counter() - started)
    else:
        print("2/3 Chạy DAG Airflow «chitieu_load» (airflow dags test, SQLite trong .airflow/) …")
        code = run_dag(paths, quiet=not args.verbose)
        state = last_run_state(paths)
        print(f"    DagRun: {state or 'không rõ'} sau {time.perf_counter() - started:.0f} giây")
        if code != 0 or state != "success":
            print("LỖI: DAG không chạy thành công; chạy lại với --verbose để xem nhật ký.", file=sys.stderr)
            return 1
        quarantined = sorted(p.name for p in paths.quarantine.iterdir()) if paths.quarantine.exists() else []
        print(f"    Tệp bị từ chối (lưu tại {paths.quarantine}): {len(quarantined)}")
        for name in quarantined:
            print(
                "      "
                + (paths.quarantine / name / "phan_hoi.txt")
                .read_text("utf-8")
                .strip()
                .replace("\n", "\n      ")
            )
    print("3/3 Bảng theo dõi chỉ tiêu của huyện Phong Thổ:\n")
    print(district_scorecard(readable(paths), "109"))
    print(province_trend(readable(paths), "68", "thcs_dropout"))
    return 0


def cmd_targets_extract(args: argparse.Namespace) -> int:
    from ingest.targets.extraction import extract, write_proposals

    source = Path(args.file)
    extraction = extract(source.read_text("utf-8"))
    out = Path(args.out) if args.out else source.with_name(source.stem + "_chi_tieu.csv")
    mapped, unmapped = write_proposals(extraction, out, args.issuer, args.assignee, args.level)
    print(
        f"Văn bản {extraction.decision_no or '(không rõ số)'} ngày {extraction.issued_on or '?'}: "
        f"{len(extraction.mapped)} chỉ tiêu đề xuất → {mapped}"
    )
    print(f"{len(extraction.unmapped)} con số chưa ánh xạ được vào danh mục chỉ tiêu → {unmapped}")
    for p in extraction.mapped:
        print(f"  {p.indicator_code:28} {p.comparator:2} {p.value:>6} {p.segment:9} {p.school_year}")
    print("Rà soát tệp đề xuất (điền đơn vị nhận, sửa nếu cần) rồi đặt vào thư mục targets/ để nạp.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chitieu", description="Kho dữ liệu chỉ tiêu giáo dục.")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="nạp các tệp trong thư mục landing và dựng marts")
    run.add_argument("--landing", help="thư mục landing (mặc định $CHITIEU_LANDING hoặc data/landing)")
    run.add_argument("--warehouse", help="tệp DuckDB (mặc định $CHITIEU_WAREHOUSE)")
    run.add_argument(
        "--wait",
        type=float,
        default=0.0,
        help="nếu một lần nạp khác đang chạy: chờ tối đa ngần này giây (mặc định: dừng ngay)",
    )
    run.set_defaults(func=cmd_run)

    rebuild = sub.add_parser("rebuild", help="dựng lại toàn bộ kho dữ liệu từ thư mục landing")
    rebuild.add_argument("--landing")
    rebuild.add_argument("--warehouse")
    rebuild.set_defaults(func=cmd_rebuild)

    close = sub.add_parser(
        "close-period",
        help="khóa sổ một kỳ báo cáo: các lần chạy sau chỉ kiểm tra thư mục của kỳ, không duyệt từng tệp",
    )
    close.add_argument("school_year", help="năm học, ví dụ 2023-2024")
    close.add_argument("period", choices=["dau_nam", "giua_nam", "cuoi_nam"])
    close.add_argument("--reopen", action="store_true", help="mở lại kỳ đã khóa sổ")
    close.add_argument("--landing")
    close.add_argument("--warehouse")
    close.set_defaults(func=cmd_close_period)

    demo = sub.add_parser("demo", help="dữ liệu mẫu Phong Thổ → DAG Airflow → bảng chỉ tiêu")
    demo.add_argument("--data", default=str(DEFAULT_DATA / "demo"))
    demo.add_argument("--no-airflow", action="store_true", help="chạy pipeline trực tiếp")
    demo.add_argument("--verbose", action="store_true")
    demo.set_defaults(func=cmd_demo)

    gen = sub.add_parser("generate", help="tạo dữ liệu mẫu huyện Phong Thổ")
    gen.add_argument("--landing", required=True)
    gen.add_argument("--seed", type=int, default=2023)
    gen.add_argument("--clean", action="store_true")
    gen.add_argument(
        "--broken",
        action="store_true",
        help="Phong Thổ với toàn bộ các loại tệp lỗi (ingest/sample/broken.py)",
    )
    gen.set_defaults(func=cmd_generate)

    pub = sub.add_parser("publish", help="công bố marts: bản DuckDB chỉ đọc, Parquet, PostgreSQL")
    pub.add_argument("--warehouse")
    pub.add_argument("--pg-dsn", help="mặc định $CHITIEU_PG_DSN; bỏ trống để không công bố PostgreSQL")
    pub.add_argument("--wait", type=float, default=0.0)
    pub.set_defaults(func=cmd_publish)

    report = sub.add_parser("report", help="báo cáo HTML (in được) theo huyện và tỉnh")
    report.add_argument("--warehouse")
    report.add_argument("--out", help="thư mục ghi báo cáo (mặc định serving/bao_cao)")
    report.add_argument("--unit", help="chỉ một đơn vị (mã huyện hoặc tỉnh)")
    report.add_argument("--level", choices=["district", "province"], default="district")
    report.add_argument("--year")
    report.add_argument("--period", choices=["dau_nam", "giua_nam", "cuoi_nam"])
    report.set_defaults(func=cmd_report)

    bench = sub.add_parser("bench", help="đo hiệu năng ở quy mô toàn quốc (P1–P4)")
    bench.add_argument("--data", default=str(DEFAULT_DATA / "bench"))
    bench.add_argument("--schools", type=int, help="số trường (mặc định: toàn quốc, ≈43.000)")
    bench.add_argument(
        "--sample", type=int, default=5000, help="số báo cáo cho P4 (một lô, như lô của pipeline)"
    )
    bench.add_argument("--naive", type=int, default=1000, help="số báo cáo cho cách làm «ngây thơ»")
    bench.add_argument("--p3-runs", type=int, default=30)
    bench.add_argument("--no-history", action="store_true", help="bỏ P5 (nạp thêm 5 kỳ lịch sử)")
    bench.add_argument("--pg-dsn", help="PostgreSQL cho P3 (mặc định $CHITIEU_PG_DSN)")
    bench.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "bench" / "results"))
    bench.set_defaults(func=cmd_bench)

    card = sub.add_parser("scorecard", help="in bảng theo dõi chỉ tiêu của một huyện")
    card.add_argument("--warehouse")
    card.add_argument("--unit", default="109", help="mã huyện (mặc định 109, Phong Thổ)")
    card.add_argument("--year")
    card.add_argument("--period", choices=["dau_nam", "giua_nam", "cuoi_nam"])
    card.set_defaults(func=cmd_scorecard)

    check = sub.add_parser("backtest", help="cảnh báo giữa năm đúng bao nhiêu so với kết quả cuối năm")
    check.add_argument("--warehouse")
    check.set_defaults(func=cmd_backtest)

    targets = sub.add_parser("targets", help="chỉ tiêu: đọc từ văn bản kế hoạch")
    targets_sub = targets.add_subparsers(dest="targets_command", required=True)
    extract = targets_sub.add_parser("extract", help="đề xuất biểu giao chỉ tiêu từ văn bản (.txt)")
    extract.add_argument("file")
    extract.add_argument("--out", help="tệp CSV đề xuất (mặc định <tên>_chi_tieu.csv)")
    extract.add_argument("--issuer", default="", help="mã cơ quan giao")
    extract.add_argument("--assignee", default="", help="mã đơn vị nhận")
    extract.add_argument("--level", default="", help="cấp đơn vị nhận: Trường / Xã / Huyện / Tỉnh")
    extract.set_defaults(func=cmd_targets_extract)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
