using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Learning.LoadTest.Reporting;

namespace Learning.LoadTest.Http;

/// <summary>An answer: its status (0 when no HTTP answer came) and its body, parsed only when a caller needs it.</summary>
public readonly record struct ApiResult(int Status, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public JsonElement Json => Body.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(Body);

    public string? Text(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>
/// The contract's routes as a client calls them, each request timed and recorded under a fixed route name (never the
/// concrete path, so ids do not split a route into thousands of rows).
/// </summary>
public sealed class LearningClient(HttpClient http, Metrics metrics)
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly TimeSpan TransportBackoff = TimeSpan.FromMilliseconds(100);

    public Task<ApiResult> Register(string email, string password, string fullName) =>
        Post("POST /api/auth/register", "/api/auth/register", new { email, password, full_name = fullName }, null);

    public Task<ApiResult> Login(string email, string password) =>
        Post("POST /api/auth/login", "/api/auth/login", new { email, password }, null);

    public Task<ApiResult> Refresh(string refresh) =>
        Post("POST /api/auth/refresh", "/api/auth/refresh", new { refresh }, null);

    public Task<ApiResult> Me(string access) => Get("GET /api/auth/me", "/api/auth/me", access);

    public Task<ApiResult> Courses() => Get("GET /api/courses", "/api/courses", null);

    public Task<ApiResult> Course(string id) => Get("GET /api/courses/{id}", $"/api/courses/{Uri.EscapeDataString(id)}", null);

    public Task<ApiResult> RegisterDevice(string access, string deviceId, string platform) =>
        Post("POST /api/devices/register", "/api/devices/register",
            new { device_id = deviceId, device_name = $"Load test {deviceId}", platform }, access);

    public Task<ApiResult> Transfer(string access, string deviceId, string platform) =>
        Post("POST /api/devices/transfer", "/api/devices/transfer",
            new { new_device_id = deviceId, new_device_name = $"Load test {deviceId}", platform }, access);

    public Task<ApiResult> Devices(string access) => Get("GET /api/devices", "/api/devices", access);

    public Task<ApiResult> Start(string access, string lessonId, string deviceId, bool takeover) =>
        Post("POST /api/video/start", "/api/video/start", new { lesson_id = lessonId, device_id = deviceId, takeover }, access);

    public Task<ApiResult> Heartbeat(string access, string sessionToken, double position) =>
        Post("POST /api/video/heartbeat", "/api/video/heartbeat", new { session_token = sessionToken, current_time = Math.Round(position, 1) }, access);

    public Task<ApiResult> End(string access, string sessionToken, double position) =>
        Post("POST /api/video/end", "/api/video/end", new { session_token = sessionToken, final_time = Math.Round(position, 1) }, access);

    public Task<ApiResult> AuditLogs(string access, string action, string? cursor)
    {
        var path = $"/api/audit-logs?action={action}&limit=200";
        if (cursor is not null)
        {
            path += "&cursor=" + Uri.EscapeDataString(cursor);
        }

        return Get("GET /api/audit-logs", path, access);
    }

    public Task<ApiResult> HealthLive() => Get("GET /health/live", "/health/live", null);

    private Task<ApiResult> Get(string route, string path, string? access) => Send(route, HttpMethod.Get, path, null, access);

    private Task<ApiResult> Post(string route, string path, object body, string? access)
    {
        // A byte array gives a Content-Length; a streamed JsonContent would go out chunked, which no real client does.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = JsonType;
        return Send(route, HttpMethod.Post, path, content, access);
    }

    private async Task<ApiResult> Send(string route, HttpMethod method, string path, HttpContent? content, string? access)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (access is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        }

        var started = Stopwatch.GetTimestamp();
        int status;
        byte[] body;
        try
        {
            // Never cancelled by the run's end: a request in flight finishes, so what the server acknowledged is known.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // Refused, reset or past HttpClient.Timeout: no answer at all, counted as a transport error.
            status = 0;
            body = [];
        }

        metrics.Record(route, status, Stopwatch.GetTimestamp() - started);
        if (status == 0)
        {
            // Back off outside the timed window, as a real client would: a refused connection fails in microseconds,
            // and without a pause a server that is down would be hammered by a spin of failures.
            await Task.Delay(TransportBackoff);
        }

        return new ApiResult(status, body);
    }
}
