"""Drives Paceline with the official MCP Python SDK (package `mcp`), for native-host/tests/python_sdk.rs.

One run: connect over stdio (`paceline mcp --sandbox`) or streamable HTTP (`paceline serve
--http --sandbox`), in the SDK's default mode (`auto`: `server/discover`, so MCP 2026-07-28 with
Paceline) or `legacy` (the `initialize` handshake); list the tools, call a read tool, and call
two writes the server asks to confirm: one the "person" accepts, one they decline. Prints one
JSON object with what happened; the Rust test judges it. Exits 3 when the SDK is missing, so
the test can say so.

    python sdk_check.py stdio <paceline> <mode>
    python sdk_check.py http <url> <token> <mode>
"""

import asyncio
import json
import sys

try:
    from mcp import Client, StdioServerParameters
    from mcp import types
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client
except ImportError as e:  # the test reports this as "SDK missing", not as a failure of Paceline
    print(f"the MCP Python SDK is not importable: {e}", file=sys.stderr)
    sys.exit(3)


def text_of(result):
    return "".join(c.text for c in result.content if getattr(c, "type", None) == "text")


async def run(server, mode):
    asked = []

    async def on_elicit(_context, params):
        # The person: yes to the library named "Python yes", no to anything else.
        asked.append(params.message)
        action = "accept" if "Python yes" in params.message else "decline"
        return types.ElicitResult(action=action)

    out = {}
    async with Client(server, mode=mode, elicitation_callback=on_elicit, cache=None) as client:
        out["protocol_version"] = client.protocol_version
        tools = await client.list_tools()
        out["tools"] = [t.name for t in tools.tools]
        read = await client.call_tool("get_athlete_profile", {})
        out["read_is_error"] = bool(read.is_error)
        out["read_has_structured"] = read.structured_content is not None
        yes = await client.call_tool("create_library", {"name": f"Python yes {mode}"})
        out["accepted_is_error"] = bool(yes.is_error)
        out["accepted_text"] = text_of(yes)
        no = await client.call_tool("create_library", {"name": f"Python no {mode}"})
        out["declined_is_error"] = bool(no.is_error)
        out["declined_text"] = text_of(no)
        libs = await client.call_tool("get_libraries", {})
        out["libraries"] = json.dumps(libs.structured_content)
    out["asked"] = asked
    return out


def main(argv):
    if len(argv) >= 3 and argv[0] == "stdio":
        server = StdioServerParameters(command=argv[1], args=["mcp", "--sandbox", "--toolsets", "all"])
        mode = argv[2]
    elif len(argv) >= 4 and argv[0] == "http":
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {argv[2]}"})
        server = streamable_http_client(argv[1], http_client=http)
        mode = argv[3]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        from importlib.metadata import version

        sdk = version("mcp")
    except Exception:  # noqa: BLE001 - the version is information only
        sdk = None
    out = asyncio.run(run(server, mode))
    out["sdk"] = sdk
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
