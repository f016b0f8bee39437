"""A page rendered in headless Chromium, driven over the DevTools protocol: what it requested,
what it logged, the boxes of its SVG charts, its text, and a screenshot of one element.

Also a command: ``python tests/python/browser.py report.html docs/report-summary.png`` writes
the screenshot of the report's summary that README shows.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def chromium() -> str | None:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Page:
    """What a page did while it loaded, and what it shows."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    svg_boxes: list[tuple[float, float]] = field(default_factory=list)
    text: str = ""
    screenshot: bytes = b""


class _DevTools:
    def __init__(self, url: str) -> None:
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message: dict[str, Any] = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self.events.append(json.loads(self.ws.recv()))

    def close(self) -> None:
        self.ws.close()


def render(html: Path, element: str = "#summary") -> Page:
    """Loads ``html`` in headless Chromium and reads the page back; the screenshot runs from the
    top of the page to the end of ``element``."""
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed")
    profile = tempfile.mkdtemp(prefix="bcm-chromium-")
    process = subprocess.Popen(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "--window-size=1200,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = int(found.group(1))
        if port is None:
            raise TimeoutError("chromium did not open its DevTools port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        tools = _DevTools(page["webSocketDebuggerUrl"])
        try:
            return _read(tools, html.resolve().as_uri(), element)
        finally:
            tools.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def _read(tools: _DevTools, url: str, element: str) -> Page:
    for domain in ("Page", "Network", "Runtime", "Log"):
        tools.call(f"{domain}.enable")
    tools.events.clear()
    tools.call("Page.navigate", url=url)
    tools.wait_for("Page.loadEventFired")
    result = Page()

    def evaluate(expression: str) -> Any:
        reply = tools.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return reply["result"].get("value")

    boxes = evaluate(
        "JSON.stringify([...document.querySelectorAll('svg')].map(s => {"
        "const r = s.getBoundingClientRect(); return [r.width, r.height]; }))"
    )
    result.svg_boxes = [(float(w), float(h)) for w, h in json.loads(boxes)]
    result.text = str(evaluate("document.body.innerText"))
    rect = json.loads(
        evaluate(
            f"JSON.stringify((() => {{ const r = document.querySelector('{element}')"
            ".getBoundingClientRect(); return [r.x, r.y + window.scrollY, r.width, r.height]; })())"
        )
    )
    shot = tools.call(
        "Page.captureScreenshot",
        format="png",
        captureBeyondViewport=True,
        # From the top of the page (the title and scope) to the end of the element.
        clip={"x": 0, "y": 0, "width": rect[0] * 2 + rect[2], "height": rect[1] + rect[3], "scale": 1},
    )
    result.screenshot = base64.b64decode(shot["data"])
    for event in tools.events:
        method = event.get("method")
        params = event.get("params", {})
        if method == "Network.requestWillBeSent":
            result.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            result.errors.append(json.dumps(params["exceptionDetails"]))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            result.errors.append(json.dumps(params.get("args")))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            result.errors.append(params["entry"]["text"])
    return result


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: browser.py REPORT.html SCREENSHOT.png")
    page = render(Path(sys.argv[1]))
    Path(sys.argv[2]).write_bytes(page.screenshot)
    print(f"{sys.argv[2]}: {len(page.screenshot)} bytes; {len(page.svg_boxes)} charts")
