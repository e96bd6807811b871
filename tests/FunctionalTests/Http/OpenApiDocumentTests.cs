using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Learning.TestSupport;
using Microsoft.OpenApi;

namespace Learning.FunctionalTests.Http;

/// <summary>
/// <c>/openapi/v1.json</c> is valid OpenAPI, usable by client generators, and equal to the reviewed copy in
/// <c>docs/openapi.json</c>, so every change to the contract's description is deliberate. After changing routes:
/// <c>UPDATE_OPENAPI=1 dotnet test tests/FunctionalTests --filter FullyQualifiedName~OpenApiDocumentTests</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(LearningApiFactory factory)
{
    public const string UpdateVariable = "UPDATE_OPENAPI";
    private static readonly string CopyPath = Path.Combine(ScriptedCluster.RepositoryRoot, "docs", "openapi.json");

    [Fact]
    public async Task The_document_is_valid_openapi()
    {
        var result = OpenApiDocument.Parse(await Fetch(), "json");

        Assert.NotNull(result.Document);
        var errors = (result.Diagnostic?.Errors ?? []).Concat(result.Document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
    }

    [Fact]
    public async Task The_document_equals_the_committed_copy()
    {
        var current = await Fetch();
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CopyPath, current);
            return;
        }

        var committed = File.Exists(CopyPath) ? (await File.ReadAllTextAsync(CopyPath)).ReplaceLineEndings("\n") : "";
        Assert.True(committed == current,
            $"/openapi/v1.json differs from docs/openapi.json{FirstDifference(committed, current)}. If the change is intended, "
            + $"rewrite the copy with `{UpdateVariable}=1 dotnet test tests/FunctionalTests --filter FullyQualifiedName~OpenApiDocumentTests` "
            + "and commit it with the change.");
    }

    [Fact]
    public async Task Authenticated_operations_ask_for_a_bearer_token_and_public_ones_do_not()
    {
        var paths = JsonNode.Parse(await Fetch())!["paths"]!;

        Assert.Equal("bearer", JsonNode.Parse(await Fetch())!["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.NotNull(paths["/api/video/start"]!["post"]!["security"]);
        Assert.NotNull(paths["/api/admin/users"]!["get"]!["security"]);
        Assert.Null(paths["/api/auth/login"]!["post"]!["security"]);
        Assert.Null(paths["/media/lessons/{lessonId}"]!["get"]!["security"]);
    }

    [Fact]
    public async Task Request_fields_are_required_only_when_the_contract_requires_them_and_then_never_null()
    {
        var document = JsonNode.Parse(await Fetch())!;
        var schemas = document["components"]!["schemas"]!.AsObject();

        var start = schemas["StartVideoRequest"]!;
        Assert.DoesNotContain("takeover", start["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        foreach (var (name, schema) in schemas.Where(s => s.Key.EndsWith("Request", StringComparison.Ordinal)))
        {
            foreach (var required in schema!["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
            {
                Assert.DoesNotContain("null", schema["properties"]![required]!["type"]!.ToJsonString());
            }
        }

        Assert.DoesNotContain(schemas, s => s.Key.Contains("Anonymous", StringComparison.Ordinal));
        Assert.DoesNotContain(document["paths"]!.AsObject(), p => p.Key.StartsWith("/dashboard", StringComparison.Ordinal));
        Assert.All(new[] { "/health/live", "/health/ready", "/health", "/metrics" }, path => Assert.NotNull(document["paths"]![path]));
        var media = document["paths"]!["/media/lessons/{lessonId}"]!;
        Assert.All(new[] { "get", "head" }, method =>
            Assert.All(new[] { "200", "206", "416" }, status => Assert.NotNull(media[method]!["responses"]![status])));
    }

    /// <summary>The document without <c>servers</c> (the address it was fetched from), indented as committed.</summary>
    private async Task<string> Fetch()
    {
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        document.Remove("servers");
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return document.ToJsonString(options) + "\n";
    }

    private static string FirstDifference(string committed, string current)
    {
        var expected = committed.Split('\n');
        var actual = current.Split('\n');
        for (var line = 0; line < Math.Max(expected.Length, actual.Length); line++)
        {
            var was = line < expected.Length ? expected[line] : "(end)";
            var now = line < actual.Length ? actual[line] : "(end)";
            if (was != now)
            {
                return $" from line {line + 1}: committed `{was.Trim()}`, served `{now.Trim()}`";
            }
        }

        return "";
    }
}
