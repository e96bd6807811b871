using Microsoft.AspNetCore.WebUtilities;

namespace Learning.Api.OperatorConsole;

/// <summary>The console's addresses, as pages link to them.</summary>
public static class ConsolePaths
{
    public const string Home = "/console";
    public const string Users = "/console/users";
    public const string Devices = "/console/devices";
    public const string Sessions = "/console/sessions";
    public const string AuditExport = "/console/audit/export";

    /// <summary>The audit filters the page and the CSV export share (paging aside).</summary>
    public static readonly string[] AuditFilters = ["user_id", "action", "ip_address", "since", "until"];

    /// <summary>Where to go after signing in: back to a console or Dashboard page, never off this host.</summary>
    public static string SafeReturn(string? returnUrl) => SafeReturn(returnUrl, Users, allowDashboard: true);

    /// <summary>A console address handed back by a form, or <paramref name="fallback"/> when it is anything else.</summary>
    public static string SafeReturn(string? returnUrl, string fallback, bool allowDashboard = false) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\')
            && (IsUnder(url, Home) || (allowDashboard && IsUnder(url, "/dashboard")))
            ? url
            : fallback;

    private static bool IsUnder(string url, string root) =>
        url.StartsWith(root, StringComparison.Ordinal) && (url.Length == root.Length || url[root.Length] is '/' or '?');

    /// <summary>This page again with the same filters and the next cursor; null on the last page.</summary>
    public static string? NextPage(HttpRequest request, string? nextCursor)
    {
        if (nextCursor is null)
        {
            return null;
        }

        var query = request.Query.Where(p => p.Key != "cursor" && !string.IsNullOrEmpty(p.Value))
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
            .Append(KeyValuePair.Create("cursor", (string?)nextCursor));
        return QueryHelpers.AddQueryString(request.Path, query);
    }
}
