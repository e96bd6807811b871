using Learning.Catalog;
using Microsoft.Net.Http.Headers;

namespace Learning.Api.Catalog;

/// <summary>
/// HTTP caching of the public catalog. A snapshot's version names the whole catalog in every process, so it is the
/// entity tag (with the view: admins see more); shared caches may keep the public view a few seconds, as long as every
/// instance may lag behind a change anyway, and admins' views stay private.
/// </summary>
public static class CatalogHttpCache
{
    public static readonly TimeSpan PublicMaxAge = TimeSpan.FromSeconds(5);

    public static string ETagOf(CatalogSnapshot snapshot, bool isAdmin) =>
        $"\"catalog-{snapshot.Version}{(isAdmin ? "-admin" : "")}\"";

    /// <summary>
    /// For an answer that carries the caller's own data (progress): no shared cache may keep it, no entity tag (the
    /// catalog's version does not name it), and caches key it by the bearer.
    /// </summary>
    public static void MarkPersonal(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.Remove(HeaderNames.ETag);
        headers.CacheControl = "private, no-cache";
        headers.Vary = HeaderNames.Authorization;
    }

    /// <summary>Sets the caching headers; true when the caller's copy is current (answer 304).</summary>
    public static bool IsNotModified(HttpContext http, CatalogSnapshot snapshot, bool isAdmin)
    {
        var etag = ETagOf(snapshot, isAdmin);
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = isAdmin ? "private, no-cache" : $"public, max-age={(int)PublicMaxAge.TotalSeconds}";
        headers.Vary = HeaderNames.Authorization;
        return EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var given)
               && given.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
    }
}
