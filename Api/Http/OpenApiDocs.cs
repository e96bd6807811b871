using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Learning.Api.Http;

/// <summary>
/// <c>/openapi/v1.json</c> as a client generator takes it: bearer security on the routes that need a token, request
/// fields required exactly when the contract requires them (and then never null), the contract's problem members,
/// an operation id per operation, and <c>/metrics</c>, which is no route handler. <c>docs/openapi.json</c> is the
/// reviewed copy a test compares against (README: "API documentation").
/// </summary>
public static class OpenApiDocs
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddLearningOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                RequireBearerWhereAuthorized(operation, context);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                Refine(schema, context.JsonTypeInfo.Type);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Orleans.Learning API";
        document.Info.Description = "Video-course backend. Errors are application/problem+json with a stable `error` code and a `message`.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The `access` token of POST /api/auth/login or /api/auth/refresh.",
        };

        document.Paths["/metrics"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
                    Summary = "Prometheus metrics in the text exposition format (keep it on an internal network)",
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "OK",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        },
                    },
                },
            },
        };

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                operation.OperationId ??= OperationId(method, path);
            }
        }
    }

    /// <summary><c>GET /api/courses/{id}</c> becomes <c>getCoursesById</c>: stable, unique, readable in generated clients.</summary>
    private static string OperationId(HttpMethod method, string path)
    {
        var words = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where((segment, index) => !(index == 0 && segment == "api"))
            .Select(segment => segment.StartsWith('{') ? "By" + Pascal(segment.Trim('{', '}')) : Pascal(segment));
        return method.Method.ToLowerInvariant() + string.Concat(words);
    }

    private static string Pascal(string text) =>
        string.Concat(text.Split('-', '_').Where(w => w.Length > 0)
            .Select(w => char.ToUpper(w[0], CultureInfo.InvariantCulture) + w[1..]));

    private static void RequireBearerWhereAuthorized(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
        }
    }

    private static void Refine(OpenApiSchema schema, Type type)
    {
        if (typeof(IRequestBody).IsAssignableFrom(type) && schema is { Required: { } required, Properties: { } properties })
        {
            // The records take null so the binder can report a missing field as a validation error; on the wire a
            // required field is never null.
            foreach (var name in required)
            {
                if (properties.TryGetValue(name, out var property) && property is OpenApiSchema { Type: { } kind } concrete)
                {
                    concrete.Type = kind & ~JsonSchemaType.Null;
                }
            }
        }
        else if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine code, e.g. `session_exists`." };
            schema.Properties["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Human-readable text." };
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Per-field messages of `validation_error`.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            schema.Required = new HashSet<string> { "error", "message" };
        }
    }
}
