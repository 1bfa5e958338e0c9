namespace L1Net.Onnx.Protobuf;

/// <summary>
/// Field numbers and enum values of the messages of the official ONNX schema (<c>onnx/onnx.proto3</c>) that the exporter
/// writes. These numbers are the wire format: ONNX never renumbers a field, so they are stable across ONNX releases.
/// </summary>
internal static class OnnxSchema
{
    /// <summary>IR version 8 (ONNX 1.10 and later): the IR version that goes with opset 17.</summary>
    public const long IrVersion = 8;

    public static class Model
    {
        public const int IrVersion = 1;
        public const int ProducerName = 2;
        public const int ProducerVersion = 3;
        public const int Domain = 4;
        public const int ModelVersion = 5;
        public const int DocString = 6;
        public const int Graph = 7;
        public const int OpsetImport = 8;
        public const int MetadataProps = 14;
    }

    public static class OperatorSetId
    {
        public const int Domain = 1;
        public const int Version = 2;
    }

    public static class StringStringEntry
    {
        public const int Key = 1;
        public const int Value = 2;
    }

    public static class Graph
    {
        public const int Node = 1;
        public const int Name = 2;
        public const int Initializer = 5;
        public const int DocString = 10;
        public const int Input = 11;
        public const int Output = 12;
    }

    public static class Node
    {
        public const int Input = 1;
        public const int Output = 2;
        public const int Name = 3;
        public const int OpType = 4;
        public const int Attribute = 5;
        public const int DocString = 6;
    }

    public static class Attribute
    {
        public const int Name = 1;
        public const int F = 2;
        public const int I = 3;
        public const int Type = 20;

        /// <summary><c>AttributeProto.AttributeType.FLOAT</c>.</summary>
        public const int TypeFloat = 1;

        /// <summary><c>AttributeProto.AttributeType.INT</c>.</summary>
        public const int TypeInt = 2;
    }

    public static class Tensor
    {
        public const int Dims = 1;
        public const int DataType = 2;
        public const int Name = 8;
        public const int RawData = 9;
    }

    public static class DataType
    {
        public const int Float = 1;
        public const int Int64 = 7;
    }

    public static class ValueInfo
    {
        public const int Name = 1;
        public const int Type = 2;
        public const int DocString = 3;
    }

    public static class TypeProto
    {
        /// <summary><c>TypeProto.tensor_type</c>, a <c>TypeProto.Tensor</c>.</summary>
        public const int TensorType = 1;

        /// <summary><c>TypeProto.Tensor.elem_type</c>.</summary>
        public const int ElemType = 1;

        /// <summary><c>TypeProto.Tensor.shape</c>, a <c>TensorShapeProto</c>.</summary>
        public const int Shape = 2;
    }

    public static class TensorShape
    {
        /// <summary><c>TensorShapeProto.dim</c>, a <c>TensorShapeProto.Dimension</c>.</summary>
        public const int Dim = 1;

        /// <summary><c>Dimension.dim_value</c>.</summary>
        public const int DimValue = 1;

        /// <summary><c>Dimension.dim_param</c>.</summary>
        public const int DimParam = 2;
    }
}
