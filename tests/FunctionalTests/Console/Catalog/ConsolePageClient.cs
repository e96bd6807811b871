using System.Net;
using System.Text.RegularExpressions;

namespace Learning.FunctionalTests.OperatorConsole.Catalog;

/// <summary>
/// A signed-in browser without script, as far as the catalog pages need one: it reads a page, finds a form by its id,
/// posts it back with the form's own action and antiforgery field, and follows the redirect, as a browser would.
/// </summary>
public sealed partial class ConsolePageClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<Page> Get(string path)
    {
        using var response = await Http.GetAsync(path);
        return await Page.Read(response);
    }

    /// <summary>The page a post lands on: the post's own answer, or where its redirect leads.</summary>
    private async Task<Page> Landing(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location is { } location
            ? await Get(location.OriginalString)
            : await Page.Read(response);

    /// <summary>Posts the form <paramref name="formId"/> of the page at <paramref name="path"/> with these fields (plus its antiforgery field).</summary>
    public async Task<Page> Submit(string path, string formId, params (string Name, string Value)[] fields)
    {
        var form = (await Get(path)).Form(formId);
        using var content = new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), form.Token]);
        using var response = await Http.PostAsync(form.Action, content);
        return await Landing(response);
    }

    public async Task<Page> Post(string action, HttpContent content)
    {
        using var response = await Http.PostAsync(action, content);
        return await Landing(response);
    }

    public sealed record Form(string Action, KeyValuePair<string, string> Token);

    public sealed partial record Page(HttpStatusCode Status, string Path, string Html, string? ContentType)
    {
        public static async Task<Page> Read(HttpResponseMessage response) => new(
            response.StatusCode, response.RequestMessage!.RequestUri!.PathAndQuery, await response.Content.ReadAsStringAsync(),
            response.Content.Headers.ContentType?.MediaType);

        /// <summary>The page's text with tags dropped and entities decoded, for asserting what a reader sees.</summary>
        public string Text => WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(Html, " "), " "));

        public Form Form(string id)
        {
            var match = FormElement().Matches(Html).FirstOrDefault(m => m.Groups["attributes"].Value.Contains($"id=\"{id}\"", StringComparison.Ordinal))
                        ?? throw new InvalidOperationException($"No form #{id} on {Path}:\n{Html}");
            var action = ActionAttribute().Match(match.Groups["attributes"].Value) is { Success: true } a
                ? WebUtility.HtmlDecode(a.Groups["value"].Value)
                : Path;
            var token = TokenField().Match(match.Groups["body"].Value);
            Assert.True(token.Success, $"Form #{id} has no antiforgery field");
            return new Form(action, KeyValuePair.Create(token.Groups["name"].Value, token.Groups["value"].Value));
        }

        [GeneratedRegex("<form(?<attributes>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline)]
        private static partial Regex FormElement();

        [GeneratedRegex("\\saction=\"(?<value>[^\"]*)\"")]
        private static partial Regex ActionAttribute();

        [GeneratedRegex("<input name=\"(?<name>__RequestVerificationToken)\" type=\"hidden\" value=\"(?<value>[^\"]*)\"")]
        private static partial Regex TokenField();

        [GeneratedRegex("<[^>]+>")]
        private static partial Regex Tags();

        [GeneratedRegex("\\s+")]
        private static partial Regex Whitespace();
    }
}
