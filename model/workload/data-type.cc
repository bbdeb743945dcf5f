/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "data-type.h"

#include "ns3/fatal-error.h"

namespace ns3
{
namespace edgellm
{

uint32_t
GetDataTypeBytes(DataType type)
{
    switch (type)
    {
    case DataType::FP32:
        return 4;
    case DataType::FP16:
    case DataType::BF16:
        return 2;
    }
    NS_FATAL_ERROR("unknown DataType value " << static_cast<int>(type));
}

std::string
DataTypeToString(DataType type)
{
    switch (type)
    {
    case DataType::FP32:
        return "fp32";
    case DataType::FP16:
        return "fp16";
    case DataType::BF16:
        return "bf16";
    }
    NS_FATAL_ERROR("unknown DataType value " << static_cast<int>(type));
}

std::string
ParseDataType(const std::string& name, DataType& type)
{
    if (name == "fp32")
    {
        type = DataType::FP32;
    }
    else if (name == "fp16")
    {
        type = DataType::FP16;
    }
    else if (name == "bf16")
    {
        type = DataType::BF16;
    }
    else
    {
        return "dtype='" + name + "' is not a known data type; allowed: fp32, fp16, bf16";
    }
    return "";
}

} // namespace edgellm
} // namespace ns3
