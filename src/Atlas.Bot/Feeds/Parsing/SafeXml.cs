using System.Xml;
using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>Loads XML with every door to the outside closed: no DTD processing, no resolver.</summary>
internal static class SafeXml
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        IgnoreProcessingInstructions = true,
        CheckCharacters = true,
    };

    /// <summary>The document, or the reader's complaint with its line (1-based) and whether the text simply ended too early.</summary>
    public static XmlLoad Load(string text)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            return new XmlLoad.Loaded(XDocument.Load(reader, LoadOptions.PreserveWhitespace));
        }
        catch (XmlException e)
        {
            var endedEarly = e.Message.Contains("Unexpected end of file", StringComparison.OrdinalIgnoreCase);
            return new XmlLoad.Failed(e.LineNumber, endedEarly, e.Message);
        }
    }
}

internal abstract record XmlLoad
{
    private XmlLoad() { }

    public sealed record Loaded(XDocument Document) : XmlLoad;

    public sealed record Failed(int Line, bool EndedEarly, string Message) : XmlLoad;
}
