/**
 * Anchor "y-websocket relay": @y/websocket-server's setupWSConnection on a `ws`
 * server, no persistence — the minimal y-protocols relay. Env: PORT.
 * Health: any HTTP GET answers 200. Document name = URL path.
 */
import http from "node:http";
import { WebSocketServer } from "ws";
import { setupWSConnection } from "@y/websocket-server/utils";

const port = Number(process.env.PORT);

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"ok":true}');
});
const wss = new WebSocketServer({ server });
wss.on("connection", (conn, req) => setupWSConnection(conn, req));

server.listen(port, "127.0.0.1");
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
