using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Learning.TestSupport;

/// <summary>
/// TestServer has no sockets: every request arrives with the same (null) <c>Connection.RemoteIpAddress</c>. A test that
/// needs clients at distinct addresses (per-IP rate limits, the audit's <c>ip_address</c>) names one in
/// <see cref="Header"/>; this filter puts it where a socket would have, ahead of the app's whole pipeline, so forwarded
/// headers, the rate limiter and the audit see it exactly as they would see a real peer address. Without the header
/// nothing changes.
/// </summary>
public sealed class ClientAddressStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (context.Request.Headers.Remove(Header, out var value))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
            }

            return following(context);
        });
        next(app);
    };
}
