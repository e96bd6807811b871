using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Learning.Api.Http;

/// <summary>OpenAPI metadata in the contract's terms: a summary, the JSON body, and every error code with its status.</summary>
public static class EndpointDocs
{
    public static RouteHandlerBuilder Documented<TBody>(this RouteHandlerBuilder endpoint, string summary, params string[] errors)
        where TBody : class =>
        endpoint.Accepts<TBody>("application/json").Documented(summary, [Common.ErrorCodes.ValidationError, Common.ErrorCodes.InvalidJson, .. errors]);

    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder endpoint, string summary, params string[] errors)
    {
        endpoint.WithSummary(summary);
        foreach (var status in errors.Select(ApiProblem.StatusOf).Distinct())
        {
            endpoint.ProducesProblem(status);
        }

        return errors.Length == 0
            ? endpoint
            : endpoint.WithDescription("Errors: " + string.Join(", ", errors.Select(e => $"{ApiProblem.StatusOf(e)} {e}")));
    }

    /// <summary><c>limit</c> and <c>cursor</c> of the paged listings.</summary>
    public static readonly QueryParameter[] Paging =
    [
        new("limit", $"Entries per page, 1 to {QueryReader.MaxLimit} (default {QueryReader.DefaultLimit}).", JsonSchemaType.Integer),
        new("cursor", "The `next_cursor` of the previous page."),
    ];

    /// <summary>Query parameters a handler reads itself (<see cref="QueryReader"/>), so generated clients can send them.</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder endpoint, params QueryParameter[] parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.Name,
                    In = ParameterLocation.Query,
                    Description = parameter.Description,
                    Schema = new OpenApiSchema
                    {
                        Type = parameter.Type,
                        Format = parameter.Format,
                        Enum = parameter.Values?.Select(v => (JsonNode)JsonValue.Create(v)).ToList(),
                    },
                });
            }

            return Task.CompletedTask;
        });
}

public sealed record QueryParameter(
    string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, string? Format = null, IReadOnlyList<string>? Values = null);
