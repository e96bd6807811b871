using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Learning.TestSupport;

/// <summary>A request Stripe.net sent to the stand-in: its method, path, query and form-encoded body.</summary>
public sealed record StripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Form)
{
    public string? this[string key] => Form.GetValueOrDefault(key);
}

/// <summary>
/// A local stand-in for api.stripe.com on a free loopback port (point <c>Billing:ApiBase</c> at <see cref="ApiBase"/>):
/// it answers the few calls this service makes with JSON shaped as Stripe's API reference documents its objects
/// (Checkout Session, billing portal Session, Subscription with its items, lists), written for these tests, and records
/// every request with its form-encoded body. Set <see cref="FailWith"/> to answer every call with Stripe's error shape.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StripeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new();
    private int _sequence;

    private FakeStripe(WebApplication app) => _app = app;

    public string ApiBase { get; private set; } = "";

    public IReadOnlyList<StripeRequest> Requests => _requests.ToArray();

    /// <summary>When set, every call answers this HTTP status with Stripe's error body.</summary>
    public int? FailWith { get; set; }

    public static async Task<FakeStripe> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stripe = new FakeStripe(app) { ApiBase = $"http://127.0.0.1:{port}" };
        app.Run(stripe.HandleAsync);
        await app.StartAsync();
        return stripe;
    }

    /// <summary>Makes the subscription that reconciliation and list calls return for its customer.</summary>
    public void PutSubscription(JsonObject subscription) => _subscriptions[subscription["id"]!.GetValue<string>()] = subscription;

    public IEnumerable<StripeRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
            : [];
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var path = request.Path.Value ?? "";
        _requests.Enqueue(new StripeRequest(request.Method, path, query, form));
        if (FailWith is { } status)
        {
            await WriteAsync(http, status, new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = status >= 500 ? "api_error" : "invalid_request_error",
                    ["message"] = "The stand-in was told to fail.",
                },
            });
            return;
        }

        var reply = (request.Method, path) switch
        {
            ("POST", "/v1/checkout/sessions") => CheckoutSession(form),
            ("POST", "/v1/billing_portal/sessions") => PortalSession(form),
            ("GET", "/v1/subscriptions") => List("/v1/subscriptions", _subscriptions.Values
                .Where(s => !query.TryGetValue("customer", out var customer) || s["customer"]?.GetValue<string>() == customer)
                .OrderByDescending(s => s["created"]!.GetValue<long>())),
            ("GET", _) when path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal)
                && _subscriptions.TryGetValue(path["/v1/subscriptions/".Length..], out var one) => one,
            _ => null,
        };
        if (reply is null)
        {
            await WriteAsync(http, 404, new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["type"] = "invalid_request_error", ["code"] = "resource_missing", ["message"] = $"No such route: {path}",
                },
            });
            return;
        }

        await WriteAsync(http, 200, reply);
    }

    private JsonObject CheckoutSession(Dictionary<string, string> form)
    {
        var id = $"cs_test_{Next()}";
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["allow_promotion_codes"] = form.GetValueOrDefault("allow_promotion_codes") == "true",
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["currency"] = null,
            ["customer"] = form.GetValueOrDefault("customer"),
            ["customer_email"] = form.GetValueOrDefault("customer_email"),
            ["expires_at"] = DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = Metadata(form, "metadata"),
            ["mode"] = form.GetValueOrDefault("mode"),
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["subscription"] = null,
            ["success_url"] = form.GetValueOrDefault("success_url"),
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
        };
    }

    private JsonObject PortalSession(Dictionary<string, string> form)
    {
        var id = $"bps_{Next()}";
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["configuration"] = "bpc_test_default",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["customer"] = form.GetValueOrDefault("customer"),
            ["livemode"] = false,
            ["locale"] = null,
            ["on_behalf_of"] = null,
            ["return_url"] = form.GetValueOrDefault("return_url"),
            ["url"] = $"https://billing.stripe.com/p/session/test_{id}",
        };
    }

    private static JsonObject List(string url, IEnumerable<JsonObject> items) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
        ["has_more"] = false,
        ["url"] = url,
    };

    /// <summary>Stripe's form encoding of a hash: <c>metadata[user_id]=…</c>.</summary>
    private static JsonObject Metadata(Dictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in form.Where(f => f.Key.StartsWith(prefix + "[", StringComparison.Ordinal)))
        {
            metadata[key[(prefix.Length + 1)..^1]] = value;
        }

        return metadata;
    }

    private string Next() => Interlocked.Increment(ref _sequence).ToString("D6", CultureInfo.InvariantCulture);

    private static async Task WriteAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = $"req_test_{Guid.NewGuid():N}";
        await http.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
