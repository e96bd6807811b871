using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Learning.IntegrationTests.Infrastructure;

/// <summary>Talks to the API the way a client would: JSON in, status and JSON out.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public const string Password = "a-good-password";

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

    /// <summary>Asserts the contract's error shape: problem+json with status, error code and message.</summary>
    public ApiResponse AssertProblem(HttpStatusCode expected, string error)
    {
        AssertStatus(expected);
        Assert.Equal("application/problem+json", ContentType);
        Assert.Equal(error, Error);
        Assert.Equal((int)expected, Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("message").GetString()));
        return this;
    }
}
