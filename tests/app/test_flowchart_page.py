"""AppTest runs of the Flowchart page: a cluster, two side by side, a self-assessment, garbage in the URL."""
import pytest

from tests.app.test_pages import assert_clean, run
from tests.hostile_data import IMG, SCRIPT


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def plain(text: str) -> str:
    """Markdown-escaped text as it reads on the page."""
    return text.replace("\\", "")


def test_a_cluster_shows_its_stop_evidence_and_links():
    at = run("flowchart", cluster="cl-gz-auto-huadu")
    assert_clean(at)
    assert at.selectbox(key="fc_cluster").value == "guangzhou-auto"
    assert at.query_params["cluster"] == "cl-gz-auto-huadu" and at.query_params["view"] == "cluster"
    assert plain(at.warning[0].value).startswith("The flow stops at step 2, Industrial zones")
    text = plain(markdown_text(at))
    assert "Suppliers located in Huadu supplied their products to Nissan alone in the past" in text
    assert "Kuchiki 2007, IDE Discussion Paper 89, section '(3) Huadu District', para 1" in text
    assert "002_f9634779f90968d3" not in text  # file names stay on the Data page
    assert "The papers say nothing on this step." in text
    assert not at.exception


def test_zhongguancun_stops_at_an_unstated_step_and_names_the_first_no():
    at = run("flowchart", cluster="hidz-zhongguancun", lang="zh")
    assert_clean(at)
    assert "第7步" in at.warning[0].value and "第9步" in at.warning[0].value
    assert at.title[0].value == "朽木流程图：集群政策准备程度"


def test_the_selection_writes_the_url():
    at = run("flowchart", cluster="zj-pinghu")
    at.selectbox(key="fc_cluster").set_value("xiqiao").run()
    assert_clean(at)
    assert at.query_params["cluster"] == "cl-xiqiao"


def test_two_clusters_side_by_side():
    at = run("flowchart", view="compare", compare_flow="hidz-zhongguancun,cl-gz-auto-nansha")
    assert_clean(at)
    assert at.multiselect(key="fc_pair").value == ["zhongguancun", "guangzhou-auto"]
    assert [plain(w.value).split(":")[0] for w in at.warning] == ["The flow stops at step 7, Intellectual property rights "
                                                           "enforced", "The flow stops at step 2, Industrial zones"]


def test_self_assessment_answers_from_the_url_and_the_widgets():
    at = run("flowchart", view="self", flow="anchor-firm", answers="y,y,n", actors=",,l", n3="Ring road: 1 of 3 lanes",
             place="Anytown")
    assert_clean(at)
    assert at.radio(key="fc_ans_anchor-firm_2").value == "no"
    assert at.selectbox(key="fc_act_anchor-firm_2").value == "local_government"
    assert plain(at.error[0].value).startswith("The flow stops at step 3, Physical infrastructure: the answer is no")
    text = plain(markdown_text(at))
    assert "**Note:** Ring road: 1 of 3 lanes" in text and "**The actor you have in mind:** local government" in text
    # answering the bottleneck yes moves the stop on, and the URL follows
    at.radio(key="fc_ans_anchor-firm_2").set_value("yes").run()
    assert_clean(at)
    assert plain(at.warning[0].value).startswith("The flow stops at step 4, Institution building: not answered yet")
    assert at.query_params["answers"] == "y,y,y"
    at.radio(key="fc_ans_anchor-firm_3").set_value("unknown").run()
    assert at.query_params["answers"] == "y,y,y,u"
    assert "the answer is not known yet" in plain(at.warning[0].value)
    assert [b.label for b in at.get("download_button")] == ["Download the answers (CSV)",
                                                            "Download a printable one-page summary (HTML)"]


def test_hostile_notes_and_place_are_shown_as_text():
    at = run("flowchart", view="self", flow="hitech-university", answers="n", n1=SCRIPT, place=IMG)
    assert_clean(at)
    assert at.text_input(key="fc_place").value == IMG
    rendered = markdown_text(at)
    assert SCRIPT not in rendered and IMG not in rendered  # escaped for Markdown: no HTML comes of it
    assert "\\<script\\>" in rendered


def test_garbage_in_the_url_falls_back_with_notices():
    at = run("flowchart", view="sideways", cluster="<script>x</script>", flow="nope", answers="q,y,zz" + ",y" * 40,
             actors="mayor", n2="x" * 2000)
    assert_clean(at)
    notices = " ".join(w.value for w in at.warning)
    for fragment in ("unknown view", "no assessment for", "unknown flowchart", "answers other than y, n, u",
                     "values for 11 steps", "actors other than c, l, q, p", "was cut to 300 characters"):
        assert fragment in notices, fragment
    assert at.radio(key="fc_view").value == "self"


def test_profile_and_compare_link_to_the_flowcharts():
    at = run("profile", zone="cl-xiqiao")
    assert_clean(at)
    links = [l for l in at.get("page_link") if "account_tree" in str(l.proto.icon)]
    assert links and "cluster=cl-xiqiao" in str(links[0].proto.query_string)
    at = run("profile", zone="sez-shenzhen")
    assert not [l for l in at.get("page_link") if "account_tree" in str(l.proto.icon)]
    at = run("compare", compare="zj-pinghu,cl-xiqiao")
    assert_clean(at)
    links = [l for l in at.get("page_link") if "account_tree" in str(l.proto.icon)]
    assert links and "compare_flow=zj-pinghu%2Ccl-xiqiao" in str(links[0].proto.query_string)


@pytest.mark.parametrize("params", [{"cluster": "hidz-zhongguancun"}, {"cluster": "cl-xiqiao", "lang": "zh"},
                                    {"view": "compare", "compare_flow": "zj-pinghu,cl-gz-auto-huadu"},
                                    {"view": "self", "flow": "anchor-firm", "answers": "y,n"}])
def test_no_raw_file_name_on_the_page(params):
    from tests.app.test_no_file_names import RAW_FILE_NAME, main_text
    at = run("flowchart", **params)
    assert_clean(at)
    found = [m.group(0) for text in main_text(at.main, "") for m in RAW_FILE_NAME.finditer(text)]
    assert not found
