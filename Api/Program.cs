using Learning.Api.Access;
using Learning.Api.Account;
using Learning.Api.Administration;
using Learning.Api.Audit;
using Learning.Api.Auth;
using Learning.Api.Billing;
using Learning.Api.Catalog;
using Learning.Api.Seeding;
using Learning.Api.Health;
using Learning.Api.Devices;
using Learning.Api.Hosting;
using Learning.Api.Http;
using Learning.Api.Learn;
using Learning.Api.Media;
using Learning.Api.OperatorConsole;
using Learning.Api.Playback;
using Learning.Api.Progress;
using Learning.Api.Security;
using Learning.Hosting;
using Learning.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

var checkOnly = args.Contains(ConfigurationCheck.Argument);
var builder = WebApplication.CreateBuilder(args.Where(a => a != ConfigurationCheck.Argument).ToArray());
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5000");
}

var generatedJwtKey = builder.EnsureDevelopmentKey("Jwt:SigningKey");
var generatedMediaKey = builder.EnsureDevelopmentKey("Media:SigningKey");
builder.AddStructuredLogging();
if (builder.Configuration["Sentry:Dsn"] is { Length: > 0 })
{
    // Error tracking only when an operator asks for it; Sentry reads the rest of its section itself.
    builder.WebHost.UseSentry();
}

builder.AddMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
var cluster = builder.AddLearningCluster();

var services = builder.Services;
services.TryAddSingleton(TimeProvider.System);
services.TryAddKeyedSingleton(Clock.ServiceKey, TimeProvider.System);
services.ConfigureHttpJsonOptions(options => JsonConventions.Apply(options.SerializerOptions));
services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
{
    // Framework-made problems (unknown route, wrong method, ...) get the contract's error and message too.
    var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
    var (error, message) = ApiProblem.ForStatus(status);
    context.ProblemDetails.Extensions.TryAdd("error", error);
    context.ProblemDetails.Extensions.TryAdd("message", message);
    context.ProblemDetails.Detail ??= message;
    context.ProblemDetails.Type ??= ApiProblem.TypeOf(status);
});
services.AddExceptionHandler<ProblemExceptionHandler>();
services.AddLearningAuthentication();
services.AddAccountPages();
services.AddAccountSeeding();
services.AddAccessApi();
services.AddAdminApi();
services.AddCatalogApi();
services.AddMedia();
services.AddBillingApi(cluster);
services.AddLearningHealthChecks(cluster);
services.AddLearningSecurity(builder.Environment);
services.AddLearningOpenApi();
builder.AddLearningConsole();

var app = builder.Build();
if (ConfigurationCheck.Run(app, checkOnly) is { } exitCode)
{
    return exitCode;
}

if (generatedJwtKey)
{
    app.Logger.LogWarning("Jwt:SigningKey is not set: using a random key for this process (Development only); tokens stop working when it exits");
}

if (generatedMediaKey)
{
    app.Logger.LogWarning("Media:SigningKey is not set: using a random key for this process (Development only); media URLs stop working when it exits");
}

app.LogMediaSource();
app.UseTrustedForwardedHeaders();
app.UseStandardResponseHeaders();
app.UseLearningRequestLogging();
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // Bad input is the client's mistake, answered as a 4xx problem: no error log with a stack trace for it.
    SuppressDiagnosticsCallback = context => context.Exception is ApiProblemException or BadHttpRequestException,
});
app.UseStatusCodePages();
app.UseLearningSecurity();
app.UseLearnPage();
app.UseTrailingSlashTolerance();
app.UseRouting();
app.UseCors(SecuritySetup.CorsPolicy);
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

app.MapAuthApi();
app.MapAccountPages();
app.MapCatalogApi();
app.MapDevicesApi();
app.MapVideoApi();
app.MapProgressApi();
app.MapMediaApi();
app.MapAuditApi();
app.MapAdminApi();
app.MapAccessApi();
app.MapCatalogAdminApi();
app.MapMediaUploadApi();
app.MapBillingApi();
app.MapLearningHealth();
app.MapLearningMetrics();
app.MapLearningDashboard();
app.MapLearningConsole();
app.MapOpenApi();
if (builder.Configuration.GetValue("Docs:Enabled", app.Environment.IsDevelopment()))
{
    app.MapScalarApiReference("/docs", options => options.WithTitle("Orleans.Learning API"));
}

app.Run();
return 0;

/// <summary>Visible to the functional tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
