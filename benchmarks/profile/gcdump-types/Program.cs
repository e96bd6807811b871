using Graphs;

// gcdump-types FILE.gcdump
//     one line per type: exact bytes, object count, type name ("(Bytes > N)" size classes as dotnet-gcdump names them);
//     the first line is the heap's total (TOTAL), equal to the "GC Heap bytes" of `dotnet-gcdump report`.
// gcdump-types FILE.gcdump parents TYPE-PREFIX
//     for objects whose type starts with the prefix (e.g. System.String): bytes and count by the type of an object
//     referring to them (the first referrer found), to tell whose strings and byte arrays they are.
if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "parents"))
{
    Console.Error.WriteLine("usage: gcdump-types FILE.gcdump [parents TYPE-PREFIX]");
    return 2;
}

var graph = new GCHeapDump(args[0]).MemoryGraph;
var node = graph.AllocNodeStorage();
var type = graph.AllocTypeNodeStorage();
var totals = new Dictionary<string, (long Bytes, long Count)>();

void Add(string name, long bytes)
{
    var (sum, count) = totals.GetValueOrDefault(name);
    totals[name] = (sum + bytes, count + 1);
}

if (args.Length == 3)
{
    var child = graph.AllocNodeStorage();
    var childType = graph.AllocTypeNodeStorage();
    var referrer = new Dictionary<NodeIndex, string>();
    for (NodeIndex i = 0; i < graph.NodeIndexLimit; i++)
    {
        var parent = graph.GetNode(i, node);
        var parentName = graph.GetType(parent.TypeIndex, type).Name;
        for (var c = parent.GetFirstChildIndex(); c != NodeIndex.Invalid; c = parent.GetNextChildIndex())
        {
            var name = graph.GetType(graph.GetNode(c, child).TypeIndex, childType).Name;
            if (name.StartsWith(args[2], StringComparison.Ordinal))
            {
                referrer.TryAdd(c, parentName);
            }
        }
    }

    foreach (var (index, parentName) in referrer)
    {
        Add(parentName, graph.GetNode(index, node).Size);
    }
}
else
{
    long heap = 0, objects = 0;
    for (NodeIndex i = 0; i < graph.NodeIndexLimit; i++)
    {
        var current = graph.GetNode(i, node);
        if (current.Size == 0)
        {
            continue; // the graph's root and pseudo-nodes, not heap objects
        }

        Add(graph.GetType(current.TypeIndex, type).Name, current.Size);
        heap += current.Size;
        objects++;
    }

    Console.WriteLine($"{heap}\t{objects}\tTOTAL");
}

foreach (var (name, (bytes, count)) in totals.OrderByDescending(t => t.Value.Bytes))
{
    Console.WriteLine($"{bytes}\t{count}\t{name}");
}

return 0;
