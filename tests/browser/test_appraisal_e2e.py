"""The annual appraisal end to end, in the browser, on the demo district (issue 3, "Done when").

The organisation officer opens this year's appraisal that the demo set up, completes the target
scores, opens the democratic evaluation, downloads the voting-code sheets (PDF) and hands the
codes to 30 phones (360×740 browser contexts, several at a time) that each enter one code on
/vote/ and submit the whole ballot. Three paper ballots are keyed in twice (double entry), the
evaluation is closed, grades are proposed, and the results, charts and exports are checked:

- one cadre of the first unit gets exactly one third 不称职 of the valid overall votes (4 of 12
  phones + 1 of 3 paper ballots = 5/15) and so a yellow-card proposal (the threshold is inclusive);
- every other cadre gets a majority of 优秀, more than the 优秀 quota allows (14 cadres × 15 %,
  rounded down: 2); the votes on 德 differ by position, so the scores differ and the quota keeps
  exactly the best two.

The server is the smoke test's: runserver on the demo data (load_demo --small, JIANDU_DEMO=1).
Screenshots: test-output/screenshots/e2e-*.png.
"""

import asyncio
import datetime as dt
import io
import re
import time
import zoneinfo

import pytest
from playwright.async_api import async_playwright, expect
from pypdf import PdfReader

from jiandu.registry.demo import DEMO_PASSWORD

from .test_smoke import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, demo_server  # noqa: F401 - the server fixture

pytestmark = pytest.mark.browser

PHONES = [12, 9, 9]  # phones per assessed unit, in the cycle's order; 30 in all
LEADER_PHONES = 3  # of them, the district leaders in charge (the rest: unit staff)
PAPER_SHEETS = 3  # paper ballots of the first unit's staff
PARALLEL_PHONES = 5
# Voters (numbered per unit: phones first, then paper sheets) who rate the yellow-card cadre 不称职.
DISSATISFIED = {0, 3, 6, 9, 12}
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
MOBILE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


async def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"e2e-{name}.png"), full_page=True)


def _choice(question: str, section: str, position: int, name: str, voter: int, yellow: str) -> str:
    """The answer of voter `voter` to `question` about the subject `name` (the `position`-th cadre)."""
    if section == "领导班子":
        return "优秀"
    if question == "总体评价":
        if name == yellow:
            return "不称职" if voter in DISSATISFIED else "称职"
        return "优秀"
    if question == "德" and voter < position:
        return "称职"  # different 德 scores, so that the cadres' scores differ
    return "优秀"


FIELDSETS = """() => [...document.querySelectorAll("fieldset.question")].map(f => {
  const card = f.closest(".subject-card"), section = f.closest(".ballot-section");
  return {id: f.id, question: f.querySelector("legend").firstChild.textContent.trim(),
          section: section.querySelector("h2").textContent.trim(),
          name: card.querySelector("h3").firstChild.textContent.trim()};
})"""


async def _answer(page, voter: int, yellow: str) -> None:
    fieldsets = await page.evaluate(FIELDSETS)
    assert fieldsets, "the ballot shows its questions"
    positions: dict[str, int] = {}
    for item in fieldsets:
        if item["section"] != "领导班子":
            positions.setdefault(item["name"], len(positions))
    for item in fieldsets:
        option = _choice(item["question"], item["section"], positions.get(item["name"], 0), item["name"], voter, yellow)
        await page.locator(f"[id='{item['id']}']").get_by_label(option, exact=True).check()


async def _phone(browser, base_url: str, code: str, voter: int, yellow: str, shoot: bool) -> str:
    """One phone: enter the code, answer every question, review, submit; returns the receipt."""
    context = await browser.new_context(base_url=base_url, locale="zh-CN", **MOBILE)
    context.set_default_timeout(15_000)
    try:
        page = await context.new_page()
        await page.goto("/vote/")
        if shoot:
            await _shot(page, "phone-1-code")
        await page.locator("#code").fill(code)
        await page.get_by_role("button", name="继续").click()
        await expect(page.locator("form.vote-form")).to_be_visible()
        await _answer(page, voter, yellow)
        if shoot:
            await _shot(page, "phone-2-ballot")
        await page.locator("button[name=step][value=review]").click()
        await expect(page.locator("button[name=step][value=submit]")).to_be_visible()
        if shoot:
            await _shot(page, "phone-3-review")
        await page.locator("button[name=step][value=submit]").click()
        receipt = page.locator(".receipt")
        await expect(receipt).to_be_visible()
        if shoot:
            await _shot(page, "phone-4-receipt")
        return (await receipt.inner_text()).strip()
    finally:
        await context.close()


async def _download(page, click) -> bytes:
    async with page.expect_download() as info:
        await click()
    download = await info.value
    path = await download.path()
    return path.read_bytes()


async def _codes(page, group: str, count: int, shoot: bool) -> list[str]:
    """Generate `count` codes for `group` on the ballot page; the PDF code sheet comes back."""
    form = page.locator("form[action$='/codes/']")
    await form.get_by_label("测评主体").select_option(label=group)
    await form.get_by_label("测评码数量").fill(str(count))
    await form.locator("input[name=format][value=pdf]").check()
    data = await _download(page, lambda: form.get_by_role("button", name="生成并下载").click())
    assert data.startswith(b"%PDF"), "the code sheet is a PDF"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")
    assert "测评码" in text and group in text
    codes = list(dict.fromkeys(CODE.findall(text)))
    assert len(codes) == count, codes
    if shoot:
        (SCREENSHOTS / "e2e-code-sheet.pdf").write_bytes(data)
    return codes


async def _scenario(base_url: str) -> dict:
    figures = {}
    year = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).year
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = await browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 860}, locale="zh-CN", accept_downloads=True)
        # generous: the first PDF on a fresh installation builds the font cache (core.pdf, ~10 s)
        context.set_default_timeout(60_000)
        page = await context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: problems.append(f"console: {message.text}") if message.type == "error" else None)
        page.on("response", lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None)
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))

        # --- the officer logs in and opens this year's appraisal ------------------------------
        await page.goto("/accounts/login/")
        await page.get_by_label(re.compile("用户名")).fill("demo_org_officer")
        await page.get_by_label(re.compile("密码")).fill(DEMO_PASSWORD)
        await page.get_by_role("button", name=re.compile("登录")).click()
        await expect(page).not_to_have_url(re.compile(r"/accounts/"))
        await page.get_by_role("link", name="目标监督", exact=True).first.click()
        await expect(page).to_have_url(re.compile(r"/appraisals/$"))
        await page.get_by_role("link", name=f"{year}年度领导班子和领导干部年度考核").click()
        await expect(page.locator("h1")).to_contain_text(f"{year}年度")
        await _shot(page, "01-cycle")
        cycle_url = page.url

        # --- setup: target scores for every unit that has none yet ----------------------------
        unit_links = [await a.get_attribute("href") for a in await page.locator("main a[href*='/appraisals/units/']").all()]
        unit_links = list(dict.fromkeys(u.split("#")[0] for u in unit_links))
        assert len(unit_links) == len(PHONES), unit_links
        units = []
        for n, link in enumerate(unit_links):
            await page.goto(link)
            name = (await page.locator("h1").evaluate("e => e.firstChild.textContent")).strip()
            units.append(name)
            first = page.get_by_label("指标 1", exact=True)
            if not await first.input_value():
                await first.fill("年度重点工作目标")
                await page.get_by_label("权重 1", exact=True).fill("1")
                await page.get_by_label("得分 1", exact=True).fill(str(95 - 6 * n))
                await page.get_by_role("button", name="保存指标").click()
                await expect(page.locator(".msg-success").first).to_be_visible()
                if n == 1:
                    await _shot(page, "02-targets")

        # --- open the evaluation: headcounts per unit and group ----------------------------------
        await page.goto(cycle_url)
        await page.locator("nav.tabs").get_by_role("link", name="民主测评").click()
        rows = page.locator("form.card table tbody tr")
        # the tab is a new page: wait for its rows rather than counting the old page's
        await expect(rows).to_have_count(len(PHONES))
        for n, phones in enumerate(PHONES):
            inputs = rows.nth(n).locator("input[type=number]")
            staff = phones - LEADER_PHONES + (PAPER_SHEETS if n == 0 else 0)
            await inputs.nth(0).fill(str(staff))
            await inputs.nth(1).fill(str(LEADER_PHONES))
        await _shot(page, "03-evaluation-setup")
        await page.get_by_role("button", name="生成并开启测评票").click()
        await expect(page.locator("table.table").first).to_contain_text("进行中")
        evaluation_url = page.url
        ballot_links = [await a.get_attribute("href") for a in await page.locator("main table a[href$='#codes']").all()]
        assert len(ballot_links) == len(PHONES)

        # --- voting codes: one PDF sheet per unit and voter group ---------------------------------
        codes: list[list[str]] = []
        yellow = ""
        for n, link in enumerate(ballot_links):
            await page.goto(link)
            groups = await page.locator("form[action$='/codes/'] select option").all_inner_texts()
            staff_group, leaders_group = groups[0], groups[1]
            unit_codes = await _codes(page, staff_group, PHONES[n] - LEADER_PHONES, shoot=n == 0)
            unit_codes += await _codes(page, leaders_group, LEADER_PHONES, shoot=False)
            codes.append(unit_codes)
            if n == 0:
                await page.reload()  # a download leaves the page as it was: show the new batches
                await _shot(page, "04-ballot-codes")
                cadres = await page.locator("#eligibility ~ form table tbody tr td:first-child").all_inner_texts()
                yellow = [c for c in cadres if not c.endswith("领导班子")][-1].strip()
        figures["yellow"] = yellow

        # --- 30 phones vote, several at a time ------------------------------------------------------
        started = time.monotonic()
        limit = asyncio.Semaphore(PARALLEL_PHONES)

        async def one(n, voter, code):
            async with limit:
                return await _phone(browser, base_url, code, voter, yellow if n == 0 else "", shoot=(n, voter) == (0, 0))

        receipts = await asyncio.gather(*(one(n, voter, code) for n, unit_codes in enumerate(codes) for voter, code in enumerate(unit_codes)))
        figures["phones"] = len(receipts)
        figures["voting_seconds"] = round(time.monotonic() - started, 1)
        assert len(set(receipts)) == sum(PHONES) == 30

        # --- paper ballots of the first unit: issued, then each sheet keyed in twice ----------------
        await page.goto(ballot_links[0].split("#")[0] + "paper/")
        issue = page.locator("form[action$='/paper/issue/']")
        await issue.get_by_label("测评主体").select_option(index=0)
        await issue.get_by_label("已发放纸质票（总数）").fill(str(PAPER_SHEETS))
        await issue.get_by_role("button", name="登记纸质票发放数").click()
        await page.get_by_role("link", name="逐张录入").first.click()
        for sheet in range(1, PAPER_SHEETS + 1):
            for entry in (1, 2):  # double entry: every sheet twice, compared
                await page.get_by_label("票号").fill(str(sheet))
                await _answer(page, PHONES[0] + sheet - 1, yellow)
                if sheet == 1 and entry == 1:
                    await _shot(page, "05-paper-sheet")
                await page.get_by_role("button", name="保存本张票").click()
                await expect(page.locator(".msg-success")).to_contain_text(str(sheet))
        await page.get_by_role("link", name="返回").click()
        await expect(page.locator("main")).not_to_contain_text("需要处理")
        await _shot(page, "06-paper-entries")

        # --- close the evaluation and propose grades -------------------------------------------------
        await page.goto(evaluation_url)
        await _shot(page, "07-evaluation-open")
        await page.get_by_role("button", name="结束测评并计算结果").click()
        await expect(page.locator(".msg-success").first).to_be_visible()
        await page.locator("nav.tabs").get_by_role("link", name="等次").click()
        await page.get_by_role("button", name="提出建议等次").click()
        await expect(page.locator(".msg-success").first).to_be_visible()
        quota = await page.locator(".cards .stat").first.inner_text()
        figures["quota"] = " ".join(quota.split())
        match = re.search(r"(\d+)/(\d+).*至多\s*(\d+)", figures["quota"], re.S)
        assert match, figures["quota"]
        excellent, participants, allowed = (int(g) for g in match.groups())
        assert participants == 14 and allowed == 2  # 14 × 15 %, rounded down
        badges = await page.locator("table").first.locator("tbody tr td:nth-child(6) .badge").all_inner_texts()
        proposed_excellent = sum(1 for b in badges if b.strip() == "优秀")
        assert excellent == proposed_excellent == allowed, (excellent, proposed_excellent, badges)
        await expect(page.locator("main")).to_contain_text("超出优秀比例")  # the demoted candidates say why
        await _shot(page, "08-grades")

        # --- results: charts and exports ------------------------------------------------------------
        await page.locator("nav.tabs").get_by_role("link", name="考核结果").click()
        for chart in ("#chart-grades", "#chart-teams", "#chart-units"):
            await expect(page.locator(f"{chart} canvas")).to_have_count(1)
        await _shot(page, "09-results")
        xlsx = await _download(page, lambda: page.get_by_role("link", name="导出（xlsx）").click())
        assert xlsx[:2] == b"PK", "the results workbook is an xlsx (zip) file"

        # the yellow card: exactly one third of the valid overall votes
        await page.goto("/appraisals/proposals/")
        row = page.locator("table tbody tr", has_text=yellow).filter(has_text=f"{year}年度")
        await expect(row).to_contain_text("不称职 5/15 = 33.33%")
        await _shot(page, "10-yellow-card")

        # the first unit's ballot results: its own charts and the PDF and xlsx exports
        await page.goto(ballot_links[0].split("#")[0] + "results/")
        await expect(page.locator("main canvas").first).to_be_visible()
        await _shot(page, "11-ballot-results")
        pdf = await _download(page, lambda: page.get_by_role("link", name="导出 PDF").click())
        assert pdf.startswith(b"%PDF") and yellow in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        ballot_xlsx = await _download(page, lambda: page.get_by_role("link", name=re.compile("导出 ?Excel|导出（?xlsx")).click())
        assert ballot_xlsx[:2] == b"PK"

        assert problems == [], problems
        await context.close()
        await browser.close()
    return figures


def test_annual_appraisal_from_setup_to_yellow_card(demo_server):  # noqa: F811 - the imported fixture
    started = time.monotonic()
    figures = asyncio.run(_scenario(demo_server))
    figures["seconds"] = round(time.monotonic() - started, 1)
    print(f"\nappraisal e2e: {figures}")
