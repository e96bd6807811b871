using Microsoft.AspNetCore.WebUtilities;

namespace Learning.Api.OperatorConsole;

/// <summary>The console's addresses, as pages link to them.</summary>
public static class ConsolePaths
{
    public const string Home = "/console";
    public const string Users = "/console/users";

    /// <summary>Where to go after signing in: back to a console or Dashboard page, never off this host.</summary>
    public static string SafeReturn(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\')
            && (url.StartsWith(Home, StringComparison.Ordinal) || url.StartsWith("/dashboard", StringComparison.Ordinal))
            ? url
            : Users;

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
