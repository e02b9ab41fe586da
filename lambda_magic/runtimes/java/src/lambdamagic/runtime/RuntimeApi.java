package lambdamagic.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client of Lambda's Runtime API (2018-06-01) over one keep-alive HTTP/1.1 connection on a
 * plain socket ({@code java.net.http} and {@code HttpURLConnection} cost a lot of class loading
 * at start). A response is pipelined with the request for the next event, which saves a round
 * trip per invocation.
 */
final class RuntimeApi implements Runnable {
    /** Responses larger than this are sent on their own, so that a refusal can be reported. */
    static final int MAX_PIPELINED = 6 * 1024 * 1024;
    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String AGENT = "User-Agent: aws-lambda-java/lambda-magic\r\n";

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    private Thread connecting;
    private IOException connectFailure;

    /** A failed request: the connection broke or the status was not the expected one. */
    static final class ApiException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiException(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    RuntimeApi(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalStateException("AWS_LAMBDA_RUNTIME_API is not set");
        }
        int colon = address.lastIndexOf(':');
        this.host = colon < 0 ? address : address.substring(0, colon);
        this.port = colon < 0 ? 80 : Integer.parseInt(address.substring(colon + 1));
    }

    /**
     * Connect on another thread while Init loads the handler: the JDK's socket classes start
     * the method-handle machinery (their first lambda), some 10-20 ms of a cold start.
     */
    void connectInBackground() {
        connecting = new Thread(this, "runtime-api-connect");
        connecting.setDaemon(true);
        connecting.start();
    }

    @Override
    public void run() {
        try {
            connect();
        } catch (IOException e) {
            connectFailure = e;
        }
    }

    private void awaitConnection() throws IOException {
        Thread t = connecting;
        if (t == null) {
            return;
        }
        connecting = null;
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (connectFailure != null) {
            IOException e = connectFailure;
            connectFailure = null;
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(address(host), port));
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        lim = 0;
    }

    private static InetAddress address(String host) throws IOException {
        String[] parts = host.split("\\.");
        if (parts.length == 4) {  // a literal IPv4 address: no name service needed
            byte[] ip = new byte[4];
            try {
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v < 0 || v > 255) {
                        throw new NumberFormatException();
                    }
                    ip[i] = (byte) v;
                }
                return InetAddress.getByAddress(host, ip);
            } catch (NumberFormatException e) {
                // a host name after all
            }
        }
        return InetAddress.getByName(host);
    }

    /** Wait for the next event (no timeout: the environment may be frozen while waiting). */
    Invocation next() throws IOException {
        send(request("GET", PREFIX + "invocation/next", null, null), null);
        return readNext();
    }

    /** Post a successful response and ask for the next event in the same write. */
    Invocation respondAndNext(String id, byte[] body) throws IOException {
        byte[] post = request("POST", PREFIX + "invocation/" + id + "/response", null, body);
        byte[] get = request("GET", PREFIX + "invocation/next", null, null);
        send(post, body, get);
        expect(202, "Failed to post invocation response.");
        return readNext();
    }

    /** Post a successful response on its own. */
    void respond(String id, byte[] body) throws IOException {
        send(request("POST", PREFIX + "invocation/" + id + "/response", null, body), body);
        expect(202, "Failed to post invocation response.");
    }

    /** Post an invocation error. */
    void error(String id, byte[] body, String errorType, String xrayCause) throws IOException {
        String headers = header("Lambda-Runtime-Function-Error-Type", errorType)
                + (xrayCause != null && xrayCause.length() < 1024 * 1024
                ? header("Lambda-Runtime-Function-XRay-Error-Cause", xrayCause) : "");
        send(request("POST", PREFIX + "invocation/" + id + "/error", headers, body), body);
        expect(202, "Failed to post invocation error.");
    }

    /** Post an Init error. */
    void initError(byte[] body, String errorType) throws IOException {
        send(request("POST", PREFIX + "init/error", header("Lambda-Runtime-Function-Error-Type", errorType), body), body);
        expect(202, "Failed to post init error.");
    }

    private static String header(String name, String value) {
        return name + ": " + value + "\r\n";
    }

    private byte[] request(String method, String path, String headers, byte[] body) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':')
                .append(port).append("\r\n").append(AGENT);
        if (headers != null) {
            sb.append(headers);
        }
        if (body != null) {
            sb.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void send(byte[] head, byte[] body) throws IOException {
        send(head, body, null);
    }

    private void send(byte[] head, byte[] body, byte[] tail) throws IOException {
        int n = head.length + (body == null ? 0 : body.length) + (tail == null ? 0 : tail.length);
        byte[] all = new byte[n];
        System.arraycopy(head, 0, all, 0, head.length);
        int at = head.length;
        if (body != null) {
            System.arraycopy(body, 0, all, at, body.length);
            at += body.length;
        }
        if (tail != null) {
            System.arraycopy(tail, 0, all, at, tail.length);
        }
        awaitConnection();
        if (socket == null) {
            connect();
        }
        try {
            out.write(all);
        } catch (IOException e) {  // the server closed an idle connection: once more on a new one
            close();
            connect();
            out.write(all);
        }
    }

    private void close() {
        try {
            if (socket != null) {
                socket.close();
            }
        } catch (IOException e) {
            // already gone
        }
        socket = null;
    }

    private void expect(int status, String what) throws IOException {
        Response r = read(null);
        if (r.status != status) {
            throw new ApiException(what + " Status: " + r.status, r.status);
        }
    }

    private Invocation readNext() throws IOException {
        Invocation inv = new Invocation();
        Response r = read(inv);
        if (r.status != 200) {
            throw new ApiException("Failed to get next. Status: " + r.status, r.status);
        }
        inv.body = r.body;
        return inv;
    }

    /** Status and body of one response; its headers go to {@code inv} when given. */
    private static final class Response {
        int status;
        byte[] body;
        boolean close;
    }

    private Response read(Invocation inv) throws IOException {
        Response r = new Response();
        String status = line();
        if (status == null) {
            close();
            throw new ApiException("the Runtime API closed the connection", 0);
        }
        int sp = status.indexOf(' ');
        r.status = Integer.parseInt(status.substring(sp + 1, sp + 4));
        int length = -1;
        boolean chunked = false;
        String line;
        while ((line = line()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            } else if (name.equals("transfer-encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equals("connection")) {
                r.close = value.equalsIgnoreCase("close");
            } else if (inv != null) {
                inv.header(name, value);
            }
        }
        r.body = chunked ? chunkedBody() : bytes(Math.max(length, 0));
        if (r.close) {
            close();
        }
        return r;
    }

    private byte[] chunkedBody() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size == null ? -1 : size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while ((size = line()) != null && !size.isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            body.write(bytes(n));
            line();
        }
    }

    private boolean fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        if (lim == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, pos, bigger, 0, lim - pos);
            lim -= pos;
            pos = 0;
            buf = bigger;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n <= 0) {
            return false;
        }
        lim += n;
        return true;
    }

    private String line() throws IOException {
        int start = pos;
        while (true) {
            for (int i = start; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String s = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    return s;
                }
            }
            int scanned = lim - pos;
            if (!fill()) {
                return null;
            }
            start = pos + scanned;
        }
    }

    private byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int got = Math.min(n, lim - pos);
        System.arraycopy(buf, pos, out, 0, got);
        pos += got;
        while (got < n) {
            int r = in.read(out, got, n - got);
            if (r <= 0) {
                throw new ApiException("the Runtime API closed the connection", 0);
            }
            got += r;
        }
        return out;
    }
}
