using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Learning.Api.Account;

/// <summary>
/// The small HTML pages mailed links open. Self-contained (one inline style, allowed by its hash; no script, no
/// external asset), so their policy allows nothing but that style and posting forms back to this host.
/// </summary>
public static class AccountPage
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}" +
        "main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px #0002}" +
        "h1{font-size:1.4rem;margin-top:0}label{display:block;margin:1rem 0 .3rem}" +
        "input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}" +
        "button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:.3rem;background:#2457d6;color:#fff;cursor:pointer}" +
        ".problem{color:#a8071a}";

    private static readonly string StyleHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)));

    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{StyleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A page; <paramref name="bodyHtml"/> must already be encoded (see <see cref="Encode"/>).</summary>
    public static ContentHttpResult Render(HttpContext http, int status, string title, string bodyHtml)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // The address holds a token: no cache may keep the page.
        headers.CacheControl = "no-store";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{Encode(title)}</title>
            <style>{Style}</style>
            </head>
            <body><main>
            <h1>{Encode(title)}</h1>
            {bodyHtml}
            </main></body>
            </html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    public static string Paragraph(string text, bool problem = false) =>
        problem ? $"<p class=\"problem\">{Encode(text)}</p>" : $"<p>{Encode(text)}</p>";

    public static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{Encode(name)}\" value=\"{Encode(value)}\">";
}
