using Learning.Hosting;
using Microsoft.Extensions.Hosting;

// A standalone silo. Until Redis clustering and PostgreSQL storage land, it runs a single-node localhost
// cluster with in-memory storage, which the API's embedded mode already covers.
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .AddMemoryGrainStorage(StorageNames.Default)
    .AddLearningGrains());
await builder.Build().RunAsync();
