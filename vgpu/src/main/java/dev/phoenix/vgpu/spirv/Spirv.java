package dev.phoenix.vgpu.spirv;

import java.util.HashMap;
import java.util.Map;

/**
 * The numbers of the SPIR-V specification (Khronos, "SPIR-V Specification", section 3, "Binary
 * Form") that the executor reads, and the names it gives in its refusals so a guest learns which
 * opcode or capability stopped its shader.
 */
final class Spirv {
    private Spirv() {}

    static final int MAGIC = 0x07230203;

    // Opcodes (section 3.52).
    static final int OpNop = 0, OpUndef = 1, OpSourceContinued = 2, OpSource = 3, OpSourceExtension = 4,
            OpName = 5, OpMemberName = 6, OpString = 7, OpLine = 8, OpExtension = 10, OpExtInstImport = 11,
            OpExtInst = 12, OpMemoryModel = 14, OpEntryPoint = 15, OpExecutionMode = 16, OpCapability = 17,
            OpTypeVoid = 19, OpTypeBool = 20, OpTypeInt = 21, OpTypeFloat = 22, OpTypeVector = 23,
            OpTypeMatrix = 24, OpTypeArray = 28, OpTypeRuntimeArray = 29, OpTypeStruct = 30,
            OpTypePointer = 32, OpTypeFunction = 33, OpConstantTrue = 41, OpConstantFalse = 42,
            OpConstant = 43, OpConstantComposite = 44, OpConstantNull = 46, OpSpecConstantTrue = 48,
            OpSpecConstantFalse = 49, OpSpecConstant = 50, OpSpecConstantComposite = 51, OpFunction = 54,
            OpFunctionParameter = 55, OpFunctionEnd = 56, OpFunctionCall = 57, OpVariable = 59, OpLoad = 61,
            OpStore = 62, OpCopyMemory = 63, OpAccessChain = 65, OpInBoundsAccessChain = 66,
            OpArrayLength = 68, OpDecorate = 71, OpMemberDecorate = 72, OpVectorExtractDynamic = 77,
            OpVectorInsertDynamic = 78, OpVectorShuffle = 79, OpCompositeConstruct = 80,
            OpCompositeExtract = 81, OpCompositeInsert = 82, OpCopyObject = 83, OpTranspose = 84,
            OpConvertFToU = 109, OpConvertFToS = 110, OpConvertSToF = 111, OpConvertUToF = 112,
            OpUConvert = 113, OpSConvert = 114, OpFConvert = 115, OpBitcast = 124, OpSNegate = 126,
            OpFNegate = 127, OpIAdd = 128, OpFAdd = 129, OpISub = 130, OpFSub = 131, OpIMul = 132,
            OpFMul = 133, OpUDiv = 134, OpSDiv = 135, OpFDiv = 136, OpUMod = 137, OpSRem = 138,
            OpSMod = 139, OpFRem = 140, OpFMod = 141, OpVectorTimesScalar = 142, OpMatrixTimesScalar = 143,
            OpVectorTimesMatrix = 144, OpMatrixTimesVector = 145, OpMatrixTimesMatrix = 146,
            OpOuterProduct = 147, OpDot = 148, OpAny = 154, OpAll = 155, OpIsNan = 156, OpIsInf = 157,
            OpLogicalEqual = 164, OpLogicalNotEqual = 165, OpLogicalOr = 166, OpLogicalAnd = 167,
            OpLogicalNot = 168, OpSelect = 169, OpIEqual = 170, OpINotEqual = 171, OpUGreaterThan = 172,
            OpSGreaterThan = 173, OpUGreaterThanEqual = 174, OpSGreaterThanEqual = 175, OpULessThan = 176,
            OpSLessThan = 177, OpULessThanEqual = 178, OpSLessThanEqual = 179, OpFOrdEqual = 180,
            OpFUnordEqual = 181, OpFOrdNotEqual = 182, OpFUnordNotEqual = 183, OpFOrdLessThan = 184,
            OpFUnordLessThan = 185, OpFOrdGreaterThan = 186, OpFUnordGreaterThan = 187,
            OpFOrdLessThanEqual = 188, OpFUnordLessThanEqual = 189, OpFOrdGreaterThanEqual = 190,
            OpFUnordGreaterThanEqual = 191, OpShiftRightLogical = 194, OpShiftRightArithmetic = 195,
            OpShiftLeftLogical = 196, OpBitwiseOr = 197, OpBitwiseXor = 198, OpBitwiseAnd = 199, OpNot = 200,
            OpBitCount = 205, OpControlBarrier = 224, OpMemoryBarrier = 225, OpAtomicLoad = 227,
            OpAtomicStore = 228, OpAtomicExchange = 229, OpAtomicCompareExchange = 230,
            OpAtomicIIncrement = 232, OpAtomicIDecrement = 233, OpAtomicIAdd = 234, OpAtomicISub = 235,
            OpAtomicSMin = 236, OpAtomicUMin = 237, OpAtomicSMax = 238, OpAtomicUMax = 239,
            OpAtomicAnd = 240, OpAtomicOr = 241, OpAtomicXor = 242, OpPhi = 245, OpLoopMerge = 246,
            OpSelectionMerge = 247, OpLabel = 248, OpBranch = 249, OpBranchConditional = 250,
            OpSwitch = 251, OpKill = 252, OpReturn = 253, OpReturnValue = 254, OpUnreachable = 255,
            OpNoLine = 317, OpModuleProcessed = 330, OpExecutionModeId = 331, OpDecorateId = 332,
            OpDecorateString = 5632, OpMemberDecorateString = 5633;

    // Storage classes (3.7).
    static final int SC_UniformConstant = 0, SC_Input = 1, SC_Uniform = 2, SC_Output = 3, SC_Workgroup = 4,
            SC_Private = 6, SC_Function = 7, SC_PushConstant = 9, SC_StorageBuffer = 12;

    // Decorations (3.20) and built-ins (3.21).
    static final int D_SpecId = 1, D_Block = 2, D_BufferBlock = 3, D_RowMajor = 4, D_ArrayStride = 6,
            D_MatrixStride = 7, D_BuiltIn = 11, D_Binding = 33, D_DescriptorSet = 34, D_Offset = 35;
    static final int B_NumWorkgroups = 24, B_WorkgroupSize = 25, B_WorkgroupId = 26,
            B_LocalInvocationId = 27, B_GlobalInvocationId = 28, B_LocalInvocationIndex = 29;

    // Execution model and modes (3.3, 3.6).
    static final int EM_GLCompute = 5, EXEC_LocalSize = 17, EXEC_LocalSizeId = 38;

    // Capabilities (3.31).
    static final int CAP_Matrix = 0, CAP_Shader = 1, CAP_Float64 = 10, CAP_Int64 = 11;

    private static final Map<Integer, String> OPNAMES = new HashMap<>();
    private static final Map<Integer, String> CAPNAMES = new HashMap<>();

    static {
        for (var f : Spirv.class.getDeclaredFields()) {
            if (f.getName().startsWith("Op") && f.getType() == int.class) {
                try {
                    OPNAMES.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        String[] caps = {"Matrix", "Shader", "Geometry", "Tessellation", "Addresses", "Linkage", "Kernel",
            "Vector16", "Float16Buffer", "Float16", "Float64", "Int64", "Int64Atomics", "ImageBasic",
            "ImageReadWrite", "ImageMipmap", null, "Pipes", "Groups", "DeviceEnqueue", "LiteralSampler",
            "AtomicStorage", "Int16", "TessellationPointSize", "GeometryPointSize", "ImageGatherExtended",
            null, "StorageImageMultisample", "UniformBufferArrayDynamicIndexing",
            "SampledImageArrayDynamicIndexing", "StorageBufferArrayDynamicIndexing",
            "StorageImageArrayDynamicIndexing", "ClipDistance", "CullDistance", "ImageCubeArray",
            "SampleRateShading", "ImageRect", "SampledRect", "GenericPointer", "Int8", "InputAttachment",
            "SparseResidency", "MinLod", "Sampled1D", "Image1D", "SampledCubeArray", "SampledBuffer",
            "ImageBuffer", "ImageMSArray", "StorageImageExtendedFormats", "ImageQuery", "DerivativeControl",
            "InterpolationFunction", "TransformFeedback", "GeometryStreams", "StorageImageReadWithoutFormat",
            "StorageImageWriteWithoutFormat", "MultiViewport", "SubgroupDispatch", "NamedBarrier",
            "PipeStorage", "GroupNonUniform", "GroupNonUniformVote", "GroupNonUniformArithmetic",
            "GroupNonUniformBallot", "GroupNonUniformShuffle", "GroupNonUniformShuffleRelative",
            "GroupNonUniformClustered", "GroupNonUniformQuad"};
        for (int i = 0; i < caps.length; i++) {
            if (caps[i] != null) CAPNAMES.put(i, caps[i]);
        }
        CAPNAMES.put(4433, "StorageBuffer16BitAccess");
        CAPNAMES.put(4448, "StorageBuffer8BitAccess");
        CAPNAMES.put(5345, "VulkanMemoryModel");
        CAPNAMES.put(5347, "PhysicalStorageBufferAddresses");
    }

    /** "OpIAdd", or "opcode 1234" for one the executor has no name for. */
    static String opName(int op) {
        String n = OPNAMES.get(op);
        return n != null ? n : "opcode " + op;
    }

    /** "Int64", or "capability 1234". */
    static String capName(int cap) {
        String n = CAPNAMES.get(cap);
        return n != null ? n : "capability " + cap;
    }
}
