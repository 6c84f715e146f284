"""How the benchmark turns its readings into figures and verdicts (no timings are taken here)."""

from bench import report
from bench.__main__ import _scaling_figures
from bench.database import snapshot_url
from bench.server import cpu_used


def test_cpu_counts_processes_that_started_during_the_run_in_full():
    before = {10: 1.0, 11: 2.0}
    after = {10: 1.5, 11: 2.25, 12: 0.5}
    assert cpu_used(before, after) == 1.25


def test_a_process_that_ended_during_the_run_counts_nothing_rather_than_less_than_nothing():
    assert cpu_used({10: 1.0, 11: 9.0}, {10: 1.5}) == 0.5


def run(cpu_ms, p50):
    return {"cpu_ms": cpu_ms, "p50": p50, "rps": 1, "p95": p50}


def test_scaling_reads_the_middle_of_the_rounds_ratios():
    runs = {
        "small": [run(10, 5), run(10, 5), run(20, 5)],
        "large": [run(14, 6), run(30, 7), run(12, 8)],
    }
    figures = _scaling_figures("Search", runs)
    assert figures["cpu_ratios"] == [1.4, 3.0, 0.6]
    assert figures["cpu_ratio"] == 1.4
    assert figures["elapsed_ratio"] == 1.4
    assert figures["small_cpu_ms"] == 10
    assert figures["large_cpu_ms"] == 14


def scaling(**ratios):
    return {
        "smallest": 100,
        "largest": 10000,
        "pages": {
            key: {"label": key, "cpu_ratio": ratio, "elapsed_ratio": ratio}
            for key, ratio in ratios.items()
        },
    }


def test_the_scaling_budget_fails_when_any_page_grows_past_the_limit():
    passed, _name, detail = report._scaling(scaling(list=1.0, search=1.6, whats_on=1.2))
    assert not passed
    assert "search 1.60x" in detail
    assert report._scaling(scaling(list=1.0, search=1.5, whats_on=1.2))[0]


def test_the_scaling_budget_is_not_passed_without_two_sizes():
    passed, _name, detail = report._scaling(None)
    assert not passed
    assert "needs two sizes" in detail


def test_the_smallest_directory_is_kept_in_a_database_named_for_the_benchmark():
    url = "postgres://postgres@127.0.0.1:5432/moray_bench?sslmode=disable"
    assert snapshot_url(url) == (
        "postgres://postgres@127.0.0.1:5432/moray_bench_smallest?sslmode=disable"
    )


def test_the_embed_page_is_held_to_the_same_first_screen_budget_as_the_list():
    from bench.report import FIRST_SCREEN_BYTES, _first_screen

    def large(embed_sizes):
        return {
            "first_screen": [("html", "/", 5000), ("asset", "/static/css/site.css", 3000)],
            "embed_first_screen": [("html", "/embed/organisations/x/", n) for n in embed_sizes],
            "render_blocking": [],
            "static": [("/static/css/site.css", True, 31536000)],
        }

    def embed_verdict(results):
        return next(v for v in _first_screen(results) if "embed page" in v[1])

    assert embed_verdict(large([4000]))[0] is True
    assert embed_verdict(large([FIRST_SCREEN_BYTES + 1]))[0] is False
    assert embed_verdict({**large([]), "embed_first_screen": []})[0] is False
