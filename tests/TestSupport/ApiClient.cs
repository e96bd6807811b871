using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Learning.TestSupport;

/// <summary>Talks to the API the way a client would: JSON in, status and JSON out.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public const string Password = "quiet-otter-lantern";

    public Task<ApiResponse> Post(string path, object? body, string? accessToken = null) =>
        Send(HttpMethod.Post, path, body is null ? null : JsonContent(body), accessToken);

    public Task<ApiResponse> Get(string path, string? accessToken = null) => Send(HttpMethod.Get, path, null, accessToken);

    public async Task<ApiResponse> Send(HttpMethod method, string path, HttpContent? content, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        using var response = await Http.SendAsync(request);
        return await ApiResponse.Read(response);
    }

    public static StringContent JsonContent(object body) =>
        new(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async Task<ApiResponse> Register(string email, string password = Password, string fullName = "Test User") =>
        await Post("/api/auth/register", new { email, password, full_name = fullName });

    public async Task<ApiResponse> Login(string email, string password = Password) =>
        await Post("/api/auth/login", new { email, password });

    public Task<ApiResponse> RegisterDevice(Session session, string deviceId, string platform = "web", string? name = null) =>
        Post("/api/devices/register", new { device_id = deviceId, device_name = name ?? $"Device {deviceId}", platform }, session.Access);

    public Task<ApiResponse> Transfer(Session session, string deviceId, string platform = "ios") =>
        Post("/api/devices/transfer", new { new_device_id = deviceId, new_device_name = $"Device {deviceId}", platform }, session.Access);

    public Task<ApiResponse> StartVideo(Session session, string lessonId, string deviceId, bool? takeover = null) =>
        Post("/api/video/start", takeover is null
            ? new { lesson_id = lessonId, device_id = deviceId }
            : new { lesson_id = lessonId, device_id = deviceId, takeover = takeover.Value }, session.Access);

    public Task<ApiResponse> Heartbeat(Session session, string sessionToken, double currentTime) =>
        Post("/api/video/heartbeat", new { session_token = sessionToken, current_time = currentTime }, session.Access);

    public Task<ApiResponse> EndVideo(Session session, string sessionToken, double finalTime) =>
        Post("/api/video/end", new { session_token = sessionToken, final_time = finalTime }, session.Access);

    /// <summary>A signed-up user with one registered, active device.</summary>
    public async Task<(Session Session, string DeviceId)> SignUpWithDevice(string deviceId = "web-main")
    {
        var session = await SignUp();
        (await RegisterDevice(session, deviceId)).AssertStatus(HttpStatusCode.Created);
        return (session, deviceId);
    }

    /// <summary>The ids of the catalog's lessons, in course and lesson order.</summary>
    public async Task<IReadOnlyList<string>> LessonIds()
    {
        var ids = new List<string>();
        foreach (var course in (await Get("/api/courses")).Json.EnumerateArray())
        {
            var detail = (await Get($"/api/courses/{course.GetProperty("id").GetString()}")).Json;
            ids.AddRange(detail.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("id").GetString()!));
        }

        return ids;
    }

    /// <summary>Registers a fresh user and signs in: the token pair's access and refresh tokens.</summary>
    public async Task<Session> SignUp()
    {
        var email = NewEmail();
        (await Register(email)).AssertStatus(HttpStatusCode.Created);
        return Session.From(email, (await Login(email)).AssertStatus(HttpStatusCode.OK));
    }
}

public sealed record Session(string Email, string Access, string Refresh)
{
    public static Session From(string email, ApiResponse tokens) =>
        new(email, tokens.Json.GetProperty("access").GetString()!, tokens.Json.GetProperty("refresh").GetString()!);
}

public sealed record ApiResponse(HttpStatusCode Status, HttpResponseHeaders Headers, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Error => Json.TryGetProperty("error", out var error) ? error.GetString() : null;

    public static async Task<ApiResponse> Read(HttpResponseMessage response) =>
        new(response.StatusCode, response.Headers, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());

    public ApiResponse AssertStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected} but got {(int)Status}: {Body}");
        return this;
    }

    /// <summary>
    /// Asserts the contract's error shape: problem+json with <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
    /// the error code and a message.
    /// </summary>
    public ApiResponse AssertProblem(HttpStatusCode expected, string error)
    {
        AssertStatus(expected);
        Assert.Equal("application/problem+json", ContentType);
        Assert.Equal(error, Error);
        Assert.Equal((int)expected, Json.GetProperty("status").GetInt32());
        foreach (var member in new[] { "type", "title", "detail", "message" })
        {
            Assert.True(Json.TryGetProperty(member, out var value) && !string.IsNullOrEmpty(value.GetString()),
                $"The problem has no {member}: {Body}");
        }

        return this;
    }
}
