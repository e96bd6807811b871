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
}
